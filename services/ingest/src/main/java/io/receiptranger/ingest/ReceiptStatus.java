package io.receiptranger.ingest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A receipt reached a stage (topic {@code receipt-status}, CONTRACT §2). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptStatus(
        String receiptId,
        String batchId,
        Stage stage,
        String detail,
        String service,
        Instant at) {

    /** The value of {@code service} on the statuses the ingest publishes. */
    public static final String SERVICE = "ingest";
}
