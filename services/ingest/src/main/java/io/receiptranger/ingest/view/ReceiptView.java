package io.receiptranger.ingest.view;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.Stage;

/** One receipt of a batch as the page and the API show it (an immutable snapshot). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ReceiptView(
        String receiptId,
        String fileName,
        Stage stage,
        String detail,
        String service,
        Instant at,
        String outcome,
        String reason,
        ReceiptExtracted.Fields receipt) {
}
