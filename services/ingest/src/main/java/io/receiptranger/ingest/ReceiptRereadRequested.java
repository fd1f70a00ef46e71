package io.receiptranger.ingest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The owner asked for one of their receipts to be read again from its stored image (topic
 * {@code receipts}, key = receiptId, CONTRACT §2): after they fixed their model key or their
 * criteria, or because the first reading was wrong. It is a {@link ReceiptSubmitted} of the same
 * receipt with {@code rereadId} set, so it goes the way every reading goes and stays in order with
 * that receipt's other records; the extractor reads it even though the ledger knows the photo, and
 * its extraction carries the {@code rereadId} the sheets-sink handles once.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReceiptRereadRequested(
        String receiptId,
        String batchId,
        String owner,
        String source,
        String fileName,
        String contentType,
        String sha256,
        ImageRef image,
        Instant submittedAt,
        String timeZone,
        String exclusionCriteria,
        String rereadId,
        String by) {
}
