package io.receiptranger.ingest;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A receipt reached a stage (topic {@code receipt-status}, CONTRACT §2). {@code replay} is set only
 * on the status an operator's replay of a dead letter publishes: it reopens a FAILED receipt
 * (CONTRACT §7); {@code reread} only on the QUEUED status of the owner's re-read of a receipt that was
 * not written. Those are the two exceptions to "never out of a terminal stage".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptStatus(
        String receiptId,
        String batchId,
        Stage stage,
        String detail,
        String service,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean replay,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reread) {

    /** The value of {@code service} on the statuses the ingest publishes. */
    public static final String SERVICE = "ingest";

    public ReceiptStatus(String receiptId, String batchId, Stage stage, String detail, String service, Instant at) {
        this(receiptId, batchId, stage, detail, service, at, null, null);
    }

    /** A status that reopens a FAILED receipt ({@code replay}: an operator's dead-letter replay), or a first one. */
    public ReceiptStatus(String receiptId, String batchId, Stage stage, String detail, String service, Instant at, Boolean replay) {
        this(receiptId, batchId, stage, detail, service, at, replay, null);
    }

    /** The QUEUED status of the owner's re-read of a receipt that was not written: it reopens it. */
    public static ReceiptStatus rereading(String receiptId, String batchId, Instant at) {
        return new ReceiptStatus(receiptId, batchId, Stage.QUEUED, "read again, as you asked", SERVICE, at, null, true);
    }

    /** Whether this status reopens a receipt the owner asked to have read again (FAILED, EXCLUDED, NOT_A_RECEIPT or DUPLICATE). */
    public boolean rereads() {
        return Boolean.TRUE.equals(reread);
    }

    /** Whether this status reopens a FAILED receipt (a dead letter replayed by an operator). */
    public boolean reopens() {
        return Boolean.TRUE.equals(replay);
    }
}
