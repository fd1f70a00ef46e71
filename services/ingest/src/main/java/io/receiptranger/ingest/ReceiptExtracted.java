package io.receiptranger.ingest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The extractor read a receipt (topic {@code extractions}, CONTRACT §2), as the ingest's view needs
 * it: the outcome and the fields shown on the page and in the exports. Unknown fields are ignored.
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
        Fields receipt,
        Checks checks,
        String model,
        String promptVersion,
        Integer attempts,
        Instant extractedAt,
        String rereadId) {

    /** A first reading (no re-read). */
    public ReceiptExtracted(String receiptId, String batchId, String owner, String fileName, String sha256, String outcome, String reason,
            Fields receipt, Checks checks, String model, String promptVersion, Integer attempts, Instant extractedAt) {
        this(receiptId, batchId, owner, fileName, sha256, outcome, reason, receipt, checks, model, promptVersion, attempts, extractedAt, null);
    }

    /** Whether this answers the owner's re-read ({@code rereadId} set), not a first reading. */
    public boolean reread() {
        return rereadId != null && !rereadId.isBlank();
    }

    /** The extracted fields; money as decimal strings with two places, dates ISO. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(
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

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Checks(String arithmetic, Boolean dateRetried) {
    }
}
