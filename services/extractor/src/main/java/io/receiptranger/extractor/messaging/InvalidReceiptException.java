package io.receiptranger.extractor.messaging;

/**
 * A record we cannot process (not JSON, no receiptId/image, unreadable image, or a receipt that kept
 * failing). Thrown to nack it: the channel's failure strategy dead-letters it to {@code receipts-dlq}
 * with this message as {@code dead-letter-reason}, and the consumer goes on.
 */
public class InvalidReceiptException extends RuntimeException {

    public InvalidReceiptException(String message) {
        super(message, null, false, false);
    }
}
