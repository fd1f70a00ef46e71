package io.receiptranger.sheets;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The owner changed a receipt (topic {@code receipt-corrections}, key = receiptId, CONTRACT.md §2):
 * the sink's copy of the event the ingest publishes. One topic for every kind of change keeps one
 * receipt's changes in order on one partition.
 *
 * @param action     {@value #CORRECT} (the fields given replace the ledger's; null = unchanged), {@value #DELETE}
 *                   (row, ledger entry), {@value #UNDO} (the change {@code undoes}, if it is the last and recent),
 *                   {@value #ACCEPT} (a receipt held for review is written, with the fields given),
 *                   {@value #DISCARD} (a receipt held for review is dropped), {@value #DISMISS} (the re-read
 *                   {@code rereadId} offered other values: the old ones are kept)
 * @param by         who asked (the owner id, or an operator)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReceiptCorrected(
        String correctionId,
        String receiptId,
        String owner,
        String by,
        Instant at,
        String action,
        String amount,
        String date,
        String vendor,
        List<String> categories,
        String undoes,
        String rereadId) {

    public static final String CORRECT = "CORRECT";
    public static final String DELETE = "DELETE";
    public static final String UNDO = "UNDO";
    public static final String ACCEPT = "ACCEPT";
    public static final String DISCARD = "DISCARD";
    public static final String DISMISS = "DISMISS";
    public static final List<String> ACTIONS = List.of(CORRECT, DELETE, UNDO, ACCEPT, DISCARD, DISMISS);
    /**
     * Not an action anyone sends: how the ledger's history records a re-read ({@code correctionId} = its
     * {@code rereadId}), offered beside a written receipt's values or applied to one that had not been written.
     */
    public static final String REREAD = "REREAD";
    /** The changes "undo" can take back (not a review decision, a re-read or setting one aside). */
    public static final List<String> UNDOABLE = List.of(CORRECT, DELETE, UNDO);

    public String ownerOrDefault() {
        return owner == null || owner.isBlank() ? "default" : owner;
    }

    /** {@code current} with the fields this event sets. */
    public Correction.Fields applyTo(Correction.Fields current) {
        return new Correction.Fields(amount == null ? current.amount() : amount, date == null ? current.date() : date,
                vendor == null ? current.vendor() : vendor, categories == null ? current.categories() : categories);
    }
}
