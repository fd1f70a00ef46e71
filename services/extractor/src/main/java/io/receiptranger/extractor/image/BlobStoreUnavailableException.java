package io.receiptranger.extractor.image;

/**
 * The blob store could not be read just now (S3 5xx, throttling, unreachable, credentials not loading;
 * an I/O error on a mounted volume): a transient failure that {@link ImageLoader} retries within the
 * blob-store retry budget. Every other {@link InvalidImageException} is permanent and fails at once.
 * The message names the store problem; it ends the receipt's FAILED reason once the budget is spent.
 */
public class BlobStoreUnavailableException extends InvalidImageException {

    public BlobStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
