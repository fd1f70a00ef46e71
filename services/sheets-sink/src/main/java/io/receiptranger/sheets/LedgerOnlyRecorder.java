package io.receiptranger.sheets;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.receiptranger.sheets.ledger.Ledger;

/**
 * For owners without a spreadsheet the ledger is the table: a receipt is {@code WRITTEN} there, or a
 * {@code DUPLICATE} of an earlier one of the same owner with the same tab + date + amount + vendor.
 */
@ApplicationScoped
class LedgerOnlyRecorder {

    static final String LEDGER_ONLY = "recorded in the local ledger (Google Sheets not configured)";

    private final Ledger ledger;
    private final Bookkeeping book;

    LedgerOnlyRecorder(Ledger ledger, Bookkeeping book) {
        this.ledger = ledger;
        this.book = book;
    }

    void write(List<LedgerEntry> drafts, Fence fence) {
        book.publish(drafts.stream().map(d -> ReceiptStatus.of(d.receiptId(), d.batchId(), ReceiptStatus.WRITING, "recording in the local ledger")).toList());
        Map<String, LedgerEntry> seen = new HashMap<>();
        for (LedgerEntry e : ledger.all()) {
            if (e.inTable() && e.spreadsheetId() == null) {
                seen.putIfAbsent(e.owner() + "|" + e.tab() + "|" + RowKey.of(e.date(), e.amount(), e.vendor()), e);
            }
        }
        List<LedgerEntry> results = new ArrayList<>();
        for (LedgerEntry draft : drafts) {
            RowKey key = RowKey.of(draft.date(), draft.amount(), draft.vendor());
            String k = draft.owner() + "|" + draft.tab() + "|" + key;
            LedgerEntry earlier = key.dedupable() ? seen.get(k) : null;
            if (earlier != null) {
                results.add(draft.with(LedgerEntry.DUPLICATE, null, draft.tab(), null,
                        "already in the local ledger for " + draft.tab() + " (receipt " + earlier.receiptId() + ")"));
            } else {
                LedgerEntry written = draft.with(LedgerEntry.WRITTEN, null, draft.tab(), null, LEDGER_ONLY);
                seen.put(k, written);
                results.add(written);
            }
        }
        // The table is this replica's to change only while it holds the owner's partition.
        fence.check();
        book.settle(results);
    }
}
