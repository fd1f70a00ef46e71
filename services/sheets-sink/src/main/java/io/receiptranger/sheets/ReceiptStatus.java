package io.receiptranger.sheets;

import java.time.Instant;

/**
 * One step of a receipt's progress (topic {@code receipt-status}, CONTRACT.md §2). The sink publishes
 * {@code WRITING}, {@code WRITTEN}, {@code DUPLICATE}, {@code FAILED},
 * and for receipts held for review {@code REVIEW} (then {@code EXCLUDED} when the owner discards one).
 */
public record ReceiptStatus(String receiptId, String batchId, String stage, String detail, String service, Instant at) {

    public static final String SERVICE = "sheets-sink";
    public static final String WRITING = "WRITING";
    public static final String WRITTEN = "WRITTEN";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String FAILED = "FAILED";
    /** Extracted and held until the owner accepts it (review before writing); not terminal. */
    public static final String REVIEW = "REVIEW";
    /** A receipt held for review that the owner discarded. */
    public static final String EXCLUDED = "EXCLUDED";

    public static ReceiptStatus of(String receiptId, String batchId, String stage, String detail) {
        return new ReceiptStatus(receiptId, batchId, stage, detail, SERVICE, Instant.now());
    }
}
