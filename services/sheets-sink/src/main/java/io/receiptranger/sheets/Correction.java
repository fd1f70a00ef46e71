package io.receiptranger.sheets;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One change the owner asked for, as the ledger remembers it (in {@link LedgerEntry#corrections()}):
 * who and when, the values before and after, where the row was and went, and whether it applied.
 * While its sheet change is in flight the same record is the entry's {@link LedgerEntry#pending()}
 * marker, with {@code outcome} still null.
 *
 * @param action  {@code CORRECT}, {@code DELETE}, {@code UNDO}, {@code ACCEPT} or {@code DISCARD} (see {@link ReceiptCorrected})
 * @param outcome {@value #APPLIED} or {@value #REFUSED}; null while pending; a re-read of a written receipt whose
 *                new values differ is {@value #OFFERED} until the owner keeps them (a {@code CORRECT}) or the old ones ({@code DISMISS})
 * @param detail  what happened, as the page shows it ("moved to February 2026, row 3", or why nothing changed)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Correction(
        String correctionId,
        String action,
        String by,
        Instant at,
        Fields before,
        Fields after,
        String fromTab,
        Integer fromRow,
        String toTab,
        Integer toRow,
        String outcome,
        String detail,
        String undoes) {

    public static final String APPLIED = "APPLIED";
    public static final String REFUSED = "REFUSED";
    public static final String OFFERED = "OFFERED";

    /** The four values a correction can change. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Fields(String amount, String date, String vendor, List<String> categories) {

        public Fields {
            categories = categories == null ? List.of() : List.copyOf(categories);
        }
    }

    public Correction settled(String outcome, String detail, String toTab, Integer toRow) {
        return new Correction(correctionId, action, by, at, before, after, fromTab, fromRow, toTab, toRow, outcome, detail, undoes);
    }

    public boolean applied() {
        return APPLIED.equals(outcome);
    }
}
