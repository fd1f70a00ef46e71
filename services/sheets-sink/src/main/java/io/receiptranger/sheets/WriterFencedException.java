package io.receiptranger.sheets;

/**
 * The batch's partition moved to another sink replica before this one wrote: nothing was sent to
 * Google, the batch is left unacknowledged and its new holder handles it.
 */
public class WriterFencedException extends RuntimeException {

    public WriterFencedException(String message) {
        super(message);
    }
}
