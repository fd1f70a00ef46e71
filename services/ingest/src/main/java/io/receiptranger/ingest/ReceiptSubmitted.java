package io.receiptranger.ingest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A receipt image was accepted and stored (topic {@code receipts}, CONTRACT §2). The ingest writes
 * it for uploads and reads every one (its own and outside producers') to know a batch's receipts.
 * {@code image} is the normalised image for the model, {@code original} the bytes as uploaded (kept
 * for re-extraction; an extra field, which consumers ignore); {@code sha256} is of the original;
 * {@code review} true holds the extraction at {@code REVIEW} until the owner accepts it (absent: written at once).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
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
        ImageRef original,
        Instant submittedAt,
        String timeZone,
        String exclusionCriteria,
        Boolean review) {

    /** A submission written as soon as it is read (not held for review). */
    public ReceiptSubmitted(String receiptId, String batchId, String owner, String source, String fileName, String contentType,
            String sha256, ImageRef image, ImageRef original, Instant submittedAt, String timeZone, String exclusionCriteria) {
        this(receiptId, batchId, owner, source, fileName, contentType, sha256, image, original, submittedAt, timeZone, exclusionCriteria, null);
    }
}
