package io.receiptranger.extractor.messaging;

/**
 * A record we cannot process (not JSON, no receiptId/image, unreadable image, or a receipt that kept
 * failing). Thrown to nack it: the channel's failure strategy dead-letters it to {@code receipts-dlq}
 * with this message as {@code dead-letter-reason}, and the consumer goes on. The {@link Cause} is the
 * low-cardinality label of {@code ranger_dead_letters_total}.
 */
public class InvalidReceiptException extends RuntimeException {

    /** Why, in a word: the metric label (the message is the sentence for people). */
    public enum Cause {
        /** No value, not JSON, or no valid receiptId. */
        UNREADABLE_RECORD,
        /** Neither image.uri nor image.base64. */
        NO_IMAGE,
        /** The image could not be loaded or decoded. */
        IMAGE_UNREADABLE,
        /** The model kept failing (transient causes included): replay it once the provider is back. */
        EXTRACTION_FAILED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final Cause cause;

    public InvalidReceiptException(Cause cause, String message) {
        super(message, null, false, false);
        this.cause = cause;
    }

    public Cause kind() {
        return cause;
    }
}
