package io.receiptranger.sheets.messaging;

import io.receiptranger.sheets.ReceiptStatus;

/** Publishes a receipt's progress on {@code receipt-status}; returns once Kafka acknowledged it. */
public interface StatusPublisher {

    void publish(ReceiptStatus status);
}
