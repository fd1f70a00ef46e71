package io.receiptranger.extractor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A receipt someone asked us to read (topic {@code receipts}), as the extractor sees it. Only
 * {@code receiptId} and {@code image} are required; unknown fields are ignored so producers can add
 * fields without breaking us (CONTRACT.md §2). The same record with {@code rereadId} set is the
 * ingest's {@code ReceiptRereadRequested}: the owner asked for a receipt to be read again from its
 * stored image (after fixing their key or criteria), so the photo is read even though the ledger knows it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptSubmitted(
        String receiptId,
        String batchId,
        String owner,
        String source,
        String fileName,
        String contentType,
        String sha256,
        ImageRef image,
        String submittedAt,
        String timeZone,
        String exclusionCriteria,
        Boolean review,
        String rereadId) {

    /** A first reading, not held for review. */
    public ReceiptSubmitted(String receiptId, String batchId, String owner, String source, String fileName, String contentType,
            String sha256, ImageRef image, String submittedAt, String timeZone, String exclusionCriteria) {
        this(receiptId, batchId, owner, source, fileName, contentType, sha256, image, submittedAt, timeZone, exclusionCriteria, null, null);
    }

    /** A first reading (no {@code rereadId}). */
    public ReceiptSubmitted(String receiptId, String batchId, String owner, String source, String fileName, String contentType,
            String sha256, ImageRef image, String submittedAt, String timeZone, String exclusionCriteria, Boolean review) {
        this(receiptId, batchId, owner, source, fileName, contentType, sha256, image, submittedAt, timeZone, exclusionCriteria, review, null);
    }

    /** Whether this is a re-read the owner asked for (not a first reading). */
    public boolean reread() {
        return rereadId != null && !rereadId.isBlank();
    }

    /** Claim check: where the image is ({@code uri}) or the image itself ({@code base64}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ImageRef(String uri, String base64) {
    }

    /** The workspace, "default" when absent. */
    public String ownerOrDefault() {
        return owner == null || owner.isBlank() ? "default" : owner;
    }
}
