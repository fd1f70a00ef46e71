package io.receiptranger.extractor;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A receipt someone asked us to read (topic {@code receipts}), as the extractor sees it. Only
 * {@code receiptId} and {@code image} are required; unknown fields are ignored so producers can add
 * fields without breaking us (CONTRACT.md §2).
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
        Boolean review) {

    /** A submission not held for review. */
    public ReceiptSubmitted(String receiptId, String batchId, String owner, String source, String fileName, String contentType,
            String sha256, ImageRef image, String submittedAt, String timeZone, String exclusionCriteria) {
        this(receiptId, batchId, owner, source, fileName, contentType, sha256, image, submittedAt, timeZone, exclusionCriteria, null);
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
