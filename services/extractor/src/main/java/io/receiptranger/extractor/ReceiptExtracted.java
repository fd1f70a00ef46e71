package io.receiptranger.extractor;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;

/**
 * What the extractor concluded about one receipt (topic {@code extractions}), for every outcome.
 * Money travels as decimal strings with two places ({@code "25.50"}), dates as ISO dates.
 */
public record ReceiptExtracted(
        String receiptId,
        String batchId,
        String owner,
        String fileName,
        String sha256,
        Outcome outcome,
        String reason,
        Receipt receipt,
        Checks checks,
        String model,
        String promptVersion,
        int attempts,
        Instant extractedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean review,
        @JsonInclude(JsonInclude.Include.NON_NULL) String rereadId) {

    /** An extraction not held for review ({@code review} left out of the record). */
    public ReceiptExtracted(String receiptId, String batchId, String owner, String fileName, String sha256, Outcome outcome, String reason,
            Receipt receipt, Checks checks, String model, String promptVersion, int attempts, Instant extractedAt) {
        this(receiptId, batchId, owner, fileName, sha256, outcome, reason, receipt, checks, model, promptVersion, attempts, extractedAt, null, null);
    }

    /** The same extraction carrying the submission's review flag (true: the sink holds it at REVIEW). */
    public ReceiptExtracted withReview(Boolean held) {
        return new ReceiptExtracted(receiptId, batchId, owner, fileName, sha256, outcome, reason, receipt, checks, model, promptVersion,
                attempts, extractedAt, Boolean.TRUE.equals(held) ? Boolean.TRUE : null, rereadId);
    }

    /**
     * The same extraction answering the owner's re-read {@code id} (null: a first reading, the field left
     * out): the sink offers its values beside a written receipt's, or writes a receipt that had not been.
     */
    public ReceiptExtracted withReread(String id) {
        return new ReceiptExtracted(receiptId, batchId, owner, fileName, sha256, outcome, reason, receipt, checks, model, promptVersion,
                attempts, extractedAt, review, id == null || id.isBlank() ? null : id);
    }

    public enum Outcome {
        EXTRACTED, NOT_A_RECEIPT, EXCLUDED, FAILED
    }

    public enum Arithmetic {
        /** subtotal + tax + tip = total (± 0.01). */
        OK,
        /** The printed parts do not add up to the total. */
        MISMATCH,
        /** Not enough numbers to tell. */
        UNKNOWN
    }

    /** The fields read from the receipt. {@code total} is the tip-inclusive grand total. */
    public record Receipt(
            @JsonSerialize(using = Json.MoneySerializer.class) BigDecimal total,
            @JsonSerialize(using = Json.MoneySerializer.class) BigDecimal subtotal,
            @JsonSerialize(using = Json.MoneySerializer.class) BigDecimal tax,
            @JsonSerialize(using = Json.MoneySerializer.class) BigDecimal tip,
            String currency,
            LocalDate date,
            String vendor,
            List<String> categories,
            List<String> paymentMethods,
            String cardLast4) {
    }

    public record Checks(Arithmetic arithmetic, boolean dateRetried) {

        public static final Checks NONE = new Checks(Arithmetic.UNKNOWN, false);
    }

    /** A FAILED extraction that carries no receipt. */
    public static ReceiptExtracted failed(ReceiptSubmitted submitted, String reason, String model,
            String promptVersion, int attempts, Instant at) {
        return new ReceiptExtracted(submitted.receiptId(), submitted.batchId(), submitted.ownerOrDefault(),
                submitted.fileName(), submitted.sha256(), Outcome.FAILED, reason, null, Checks.NONE, model,
                promptVersion, attempts, at);
    }
}
