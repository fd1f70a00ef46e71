package io.receiptranger.extractor.image;

import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.RetryPolicy;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Reads a record's image by reference (claim check) or inline: {@code image.uri} through the
 * {@link BlobReader} of the configured store ({@code file:} or {@code s3://}, confined to it), or
 * {@code image.base64} of at most 512 KiB. Anything else is refused with a reason. Only JPEG, PNG
 * and WebP pass; the result is checked and downscaled by the normaliser. A blob store that is briefly
 * unavailable is retried (see {@link #readFromStore}).
 */
@ApplicationScoped
public class ImageLoader {

    /** No retries: a transient failure fails at once (tests that are not about retrying). */
    static final RetryPolicy NO_RETRY = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(10), Duration.ZERO);

    private final BlobReader blobs;
    private final int maxInlineBytes;
    private final ImageNormaliser normaliser;
    private final RetryPolicy retry;

    @Inject
    public ImageLoader(BlobReader blobs, ExtractorConfig config, ImageNormaliser normaliser) {
        this(blobs, config.rules().maxInlineImageBytes(), normaliser, new RetryPolicy(
                config.blob().initialBackoff(), config.blob().maxBackoff(), config.blob().retryBudget()));
    }

    ImageLoader(BlobReader blobs, int maxInlineBytes, ImageNormaliser normaliser) {
        this(blobs, maxInlineBytes, normaliser, NO_RETRY);
    }

    ImageLoader(BlobReader blobs, int maxInlineBytes, ImageNormaliser normaliser, RetryPolicy retry) {
        this.blobs = blobs;
        this.maxInlineBytes = maxInlineBytes;
        this.normaliser = normaliser;
        this.retry = retry;
    }

    public ReceiptImage load(ImageRef ref) throws InvalidImageException {
        if (ref == null || (blank(ref.uri()) && blank(ref.base64()))) {
            throw new InvalidImageException("The record has no image: expected image.uri or image.base64.");
        }
        byte[] bytes = blank(ref.base64()) ? readFromStore(ref.uri().trim()) : decodeInline(ref.base64());
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new InvalidImageException(
                "The image is not a JPEG, PNG or WebP file (checked by its content)."));
        return normaliser.normalise(new ReceiptImage(bytes, format));
    }

    /**
     * Reads through the blob reader; a transient store failure ({@link BlobStoreUnavailableException})
     * is retried with the model calls' back-off (exponential, full jitter) within the blob-store retry
     * budget, so a short outage delays the receipt instead of failing it. This runs on the receipt's
     * worker thread, like the model's retries: other receipts go on, and the budget stays far below
     * the consumer's unprocessed-record age, so health does not change. Permanent refusals fail at once.
     */
    private byte[] readFromStore(String uri) throws InvalidImageException {
        long deadline = System.nanoTime() + retry.budget().toNanos();
        int failures = 0;
        while (true) {
            try {
                return blobs.read(uri);
            } catch (BlobStoreUnavailableException e) {
                failures++;
                Duration delay = retry.backoff(failures);
                if (delay.toNanos() >= deadline - System.nanoTime()) {
                    throw new InvalidImageException(e.getMessage() + "; gave up after " + failures
                            + (failures == 1 ? " attempt" : " attempts") + " (blob-store retry budget "
                            + retry.budgetText() + ").", e);
                }
                Log.infof("%s; read %d failed, retried in %d ms", e.getMessage(), failures,
                        delay.toMillis());
                try {
                    TimeUnit.NANOSECONDS.sleep(delay.toNanos());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new InvalidImageException("Interrupted while waiting for the blob store.", e);
                }
            }
        }
    }

    private byte[] decodeInline(String base64) throws InvalidImageException {
        String compact = base64.replaceAll("\\s", "");
        if (compact.startsWith("data:")) {
            int comma = compact.indexOf(',');
            compact = comma < 0 ? "" : compact.substring(comma + 1);
        }
        // Check the size before allocating: 4 characters carry 3 bytes.
        if ((long) compact.length() / 4 * 3 > maxInlineBytes + 3L) {
            throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024)
                    + " KiB; put it in the blob store and send image.uri instead.");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(compact);
            if (bytes.length > maxInlineBytes) {
                throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024) + " KiB.");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("image.base64 is not valid base64.");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
