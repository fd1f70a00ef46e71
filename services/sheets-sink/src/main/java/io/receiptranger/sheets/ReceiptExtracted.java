package io.receiptranger.sheets;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What the extractor read from one receipt (topic {@code extractions}, CONTRACT.md §2): the sink's
 * own copy, holding only what it uses. Unknown fields are ignored so the producer can grow the record.
 * {@code rereadId} is set when the owner asked for the receipt to be read again: the new values are
 * offered beside a written receipt's, or a receipt that had not been written is written now.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptExtracted(
        String receiptId,
        String batchId,
        String owner,
        String fileName,
        String sha256,
        String outcome,
        String reason,
        Receipt receipt,
        String extractedAt,
        Boolean review,
        String rereadId) {

    public static final String EXTRACTED = "EXTRACTED";
    public static final String EXCLUDED = "EXCLUDED";
    public static final String NOT_A_RECEIPT = "NOT_A_RECEIPT";
    public static final String FAILED = "FAILED";

    /** The extracted fields; amounts are decimal strings, the date ISO or null. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Receipt(
            String total,
            String subtotal,
            String tax,
            String tip,
            String currency,
            String date,
            String vendor,
            List<String> categories,
            List<String> paymentMethods,
            String cardLast4) {
    }

    /** An extraction not held for review. */
    public ReceiptExtracted(String receiptId, String batchId, String owner, String fileName, String sha256, String outcome, String reason,
            Receipt receipt, String extractedAt) {
        this(receiptId, batchId, owner, fileName, sha256, outcome, reason, receipt, extractedAt, null, null);
    }

    /** Whether this extraction answers the owner's re-read (a {@code ReceiptRereadRequested}), not a first reading. */
    public boolean reread() {
        return rereadId != null && !rereadId.isBlank();
    }

    /** Whether the owner reviews receipts before they are written (the submission asked so): held at {@code REVIEW}. */
    public boolean held() {
        return Boolean.TRUE.equals(review);
    }

    /** The workspace, {@code default} when the producer left it out. */
    public String ownerOrDefault() {
        return owner == null || owner.isBlank() ? "default" : owner;
    }
}
