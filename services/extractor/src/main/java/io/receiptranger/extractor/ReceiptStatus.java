package io.receiptranger.extractor;

import java.time.Instant;

/** Progress of one receipt (topic {@code receipt-status}); the extractor publishes its own stages. */
public record ReceiptStatus(String receiptId, String batchId, Stage stage, String detail, String service, Instant at) {

    public static final String SERVICE = "extractor";

    /** The stages this service publishes (CONTRACT.md §2); DUPLICATE only for a photo the owner's ledger holds. */
    public enum Stage {
        EXTRACTING, EXTRACTED, NOT_A_RECEIPT, EXCLUDED, FAILED, DUPLICATE
    }

    public static ReceiptStatus of(String receiptId, String batchId, Stage stage, String detail, Instant at) {
        return new ReceiptStatus(receiptId, batchId, stage, detail, SERVICE, at);
    }
}
