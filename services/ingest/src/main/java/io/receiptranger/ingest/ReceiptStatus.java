package io.receiptranger.ingest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A receipt reached a stage (topic {@code receipt-status}, CONTRACT §2). {@code replay} is set only
 * on the status an operator's replay of a dead letter publishes: it reopens a FAILED receipt
 * (CONTRACT §7), the one exception to "never out of a terminal stage".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptStatus(
        String receiptId,
        String batchId,
        Stage stage,
        String detail,
        String service,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean replay) {

    /** The value of {@code service} on the statuses the ingest publishes. */
    public static final String SERVICE = "ingest";

    public ReceiptStatus(String receiptId, String batchId, Stage stage, String detail, String service, Instant at) {
        this(receiptId, batchId, stage, detail, service, at, null);
    }

    /** Whether this status reopens a FAILED receipt (a dead letter replayed by an operator). */
    public boolean reopens() {
        return Boolean.TRUE.equals(replay);
    }
}
