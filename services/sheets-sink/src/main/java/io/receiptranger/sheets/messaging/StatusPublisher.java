package io.receiptranger.sheets.messaging;

import io.receiptranger.sheets.ReceiptStatus;

/** Publishes a receipt's progress on {@code receipt-status}; returns once Kafka acknowledged it. */
public interface StatusPublisher {

    void publish(ReceiptStatus status);

    /** Publishes several at once (in parallel where the transport allows); returns once all are acknowledged. */
    default void publishAll(java.util.List<ReceiptStatus> statuses) {
        statuses.forEach(this::publish);
    }
}
