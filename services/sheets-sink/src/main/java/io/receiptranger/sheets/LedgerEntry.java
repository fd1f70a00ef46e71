package io.receiptranger.sheets;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The sink's durable memory of one receipt (compacted topic {@code sheets-ledger}, key = receiptId).
 * {@code PENDING} is written before a row is sent to Google, {@code WRITTEN}/{@code DUPLICATE}/
 * {@code FAILED} once the outcome is known, {@code EXCLUDED} for receipts the user's criteria kept out,
 * {@code NOT_A_RECEIPT} for images the extractor found were no receipt (so that the same photo sent
 * again is known as processed: {@code POST /api/receipts/lookup}).
 *
 * @param sha256     hex SHA-256 of the original uploaded bytes (from the extraction), or null when the producer gave none
 * @param amount     the total as a 2-place decimal string, or null when unknown
 * @param date       ISO date, or null when undated
 * @param tab        the month tab ({@code January 2026} or {@code Unknown Date})
 * @param row        1-based sheet row of the receipt (or of the row it duplicates); null without Sheets
 * @param spreadsheetId the spreadsheet written to; null when Google Sheets is not configured
 * @param writer     the sink replica that recorded a {@code PENDING} entry and may still be writing
 *                   it, with its consumer-group generation; null when nothing is in flight
 * @param corrections what the owner changed since (corrections, deletion, undo, review), oldest first, the last
 *                    {@value #HISTORY} kept; each names who, when, the values before and after, and whether it applied
 * @param pending     a correction whose sheet change is in flight: the marker a redelivery reconciles with
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LedgerEntry(
        String receiptId,
        String batchId,
        String owner,
        String state,
        String fileName,
        String sha256,
        String amount,
        String currency,
        String date,
        String vendor,
        List<String> categories,
        String spreadsheetId,
        String tab,
        Integer row,
        String detail,
        String extractedAt,
        Instant recordedAt,
        Writer writer,
        List<Correction> corrections,
        Correction pending) {

    /** Corrections kept per receipt. */
    public static final int HISTORY = 20;

    public static final String PENDING = "PENDING";
    public static final String WRITTEN = "WRITTEN";
    public static final String DUPLICATE = "DUPLICATE";
    public static final String FAILED = "FAILED";
    public static final String EXCLUDED = "EXCLUDED";
    public static final String NOT_A_RECEIPT = "NOT_A_RECEIPT";
    /** Extracted, held for the owner to accept (review before writing); no row yet. */
    public static final String REVIEW = "REVIEW";
    /** Taken out by the owner: row deleted, not in the table; the history stays for undo. */
    public static final String DELETED = "DELETED";

    /** An entry as the writer drafts it, without history. */
    public LedgerEntry(String receiptId, String batchId, String owner, String state, String fileName, String sha256, String amount,
            String currency, String date, String vendor, List<String> categories, String spreadsheetId, String tab, Integer row,
            String detail, String extractedAt, Instant recordedAt, Writer writer) {
        this(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories, spreadsheetId, tab, row,
                detail, extractedAt, recordedAt, writer, List.of(), null);
    }

    public LedgerEntry {
        corrections = corrections == null ? List.of() : List.copyOf(corrections);
    }

    /** A state the receipt will never leave: a redelivery re-publishes it. */
    public boolean terminal() {
        return !PENDING.equals(state);
    }

    /** In the table and exports: written, not excluded, not a duplicate. */
    public boolean inTable() {
        return WRITTEN.equals(state);
    }

    public LedgerEntry with(String state, String spreadsheetId, String tab, Integer row, String detail) {
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories,
                spreadsheetId, tab, row, detail, extractedAt, Instant.now(), writer, corrections, pending);
    }

    /** The same receipt showing other values (a correction): the tab follows the date. */
    public LedgerEntry withFields(Correction.Fields fields) {
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, fields.amount(), currency, fields.date(), fields.vendor(),
                fields.categories(), spreadsheetId, Normalize.tab(fields.date()), row, detail, extractedAt, recordedAt, writer, corrections, pending);
    }

    /** The values a correction can change, as they are now. */
    public Correction.Fields fields() {
        return new Correction.Fields(amount, date, vendor, categories);
    }

    /** With {@code pending} as the in-flight marker (null: none). */
    public LedgerEntry withPending(Correction marker) {
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories,
                spreadsheetId, tab, row, detail, extractedAt, recordedAt, writer, corrections, marker);
    }

    /** The same receipt at another place in the sheet (a row above it was deleted, or it moved tabs). */
    public LedgerEntry withPlace(String tab, Integer row) {
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories,
                spreadsheetId, tab, row, detail, extractedAt, recordedAt, writer, corrections, pending);
    }

    /** With {@code done} added to the history (oldest dropped beyond {@value #HISTORY}) and no marker. */
    public LedgerEntry withHistory(Correction done) {
        List<Correction> next = new java.util.ArrayList<>(corrections);
        next.add(done);
        while (next.size() > HISTORY) {
            next.remove(0);
        }
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories,
                spreadsheetId, tab, row, detail, extractedAt, recordedAt, writer, next, null);
    }

    /** States a re-read takes back to the pipeline: the receipt was not written, a new reading may write it. */
    public static final List<String> REREADABLE = List.of(FAILED, EXCLUDED, NOT_A_RECEIPT, DUPLICATE);

    /** The re-read waiting for the owner to keep its values or these (the last change, {@code OFFERED}), if any. */
    public java.util.Optional<Correction> openReread() {
        if (corrections.isEmpty()) {
            return java.util.Optional.empty();
        }
        Correction last = corrections.get(corrections.size() - 1);
        return Correction.OFFERED.equals(last.outcome()) && ReceiptCorrected.REREAD.equals(last.action())
                ? java.util.Optional.of(last) : java.util.Optional.empty();
    }

    /** With {@code note} added to the history, keeping a correction in flight (a re-read recorded beside it). */
    public LedgerEntry withNote(Correction note) {
        Correction marker = pending;
        return withHistory(note).withPending(marker);
    }

    /** This entry's history (and nothing else of it) carried over to {@code next}: a receipt read again keeps its past. */
    public LedgerEntry historyInto(LedgerEntry next) {
        return new LedgerEntry(next.receiptId, next.batchId, next.owner, next.state, next.fileName, next.sha256, next.amount, next.currency,
                next.date, next.vendor, next.categories, next.spreadsheetId, next.tab, next.row, next.detail, next.extractedAt, next.recordedAt,
                next.writer, corrections, null);
    }

    /** Whether the correction with this id was already handled (applied or refused): a redelivery changes nothing. */
    public boolean handled(String correctionId) {
        return corrections.stream().anyMatch(c -> c.correctionId().equals(correctionId));
    }

    /** The same entry, naming the replica writing it (or none: nothing in flight). */
    public LedgerEntry writtenBy(Writer by) {
        return new LedgerEntry(receiptId, batchId, owner, state, fileName, sha256, amount, currency, date, vendor, categories,
                spreadsheetId, tab, row, detail, extractedAt, recordedAt, by, corrections, pending);
    }

    /** Whether another sink replica may be sending this receipt's row to Google right now. */
    public boolean inFlightElsewhere(String instance) {
        return PENDING.equals(state) && writer != null && !writer.instance().equals(instance);
    }

    /**
     * A sink replica ({@code instance}: its stable id, {@code RANGER_INSTANCE_ID} or the host name) holding a
     * partition of {@code extractions} in consumer-group generation {@code generation}.
     */
    public record Writer(String instance, int generation) {
    }

    /** Whether the extractor, not the sink, published this entry's terminal stage (a redelivery re-publishes nothing). */
    public boolean endedByExtractor() {
        return EXCLUDED.equals(state) || NOT_A_RECEIPT.equals(state);
    }

    /** Whether a redelivered extraction re-publishes this entry's state as its status (not when the extractor ended it, nor once deleted). */
    public boolean republishes() {
        return terminal() && !endedByExtractor() && !DELETED.equals(state);
    }

    /** The status a redelivery of this receipt re-publishes. */
    public ReceiptStatus status() {
        return ReceiptStatus.of(receiptId, batchId, state, detail);
    }
}
