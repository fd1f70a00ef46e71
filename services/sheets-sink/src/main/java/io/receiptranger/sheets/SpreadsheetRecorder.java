package io.receiptranger.sheets;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.ledger.LedgerUnavailableException;
import io.receiptranger.sheets.sheets.Backoff;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsConnection;
import io.receiptranger.sheets.sheets.SheetsException;
import io.receiptranger.sheets.sheets.SheetsStatus;

/**
 * Writes one owner's drafts to their spreadsheet and settles each receipt: transient trouble (429,
 * 5xx, time-outs, the ledger) is waited out with back-off — the {@link SheetWriter} reads the sheet
 * again before each attempt, so a write that landed is never repeated — while a refused spreadsheet
 * or key fails the receipts with the sentence to act on.
 */
@ApplicationScoped
class SpreadsheetRecorder {

    /** How often an INVALID answer (usually a stale tab list) is retried before the receipts fail. */
    private static final int INVALID_RETRIES = 3;

    private final SheetsConnection connection;
    private final SheetsStatus sheetsStatus;
    private final Bookkeeping book;

    SpreadsheetRecorder(SheetsConnection connection, SheetsStatus sheetsStatus, Bookkeeping book) {
        this.connection = connection;
        this.sheetsStatus = sheetsStatus;
        this.book = book;
    }

    void write(String spreadsheetId, List<LedgerEntry> drafts, Fence fence) {
        book.publish(drafts.stream().map(d -> ReceiptStatus.of(d.receiptId(), d.batchId(), ReceiptStatus.WRITING,
                "writing to Google Sheets (" + d.tab() + ")")).toList());
        Optional<SheetWriter> writer = connection.writer();
        if (writer.isEmpty()) {
            fail(drafts, connection.problem());
            return;
        }
        Backoff backoff = book.retrying().backoff();
        int invalid = 0;
        while (true) {
            try {
                List<LedgerEntry> results = writer.get().write(spreadsheetId, drafts, fence);
                // Not retried on its own: on failure the whole write runs again, reading the sheet first.
                book.recordOnce(results);
                sheetsStatus.ok(spreadsheetId);
                sheetsStatus.written((int) results.stream().filter(LedgerEntry::inTable).count());
                results.stream().filter(r -> LedgerEntry.DUPLICATE.equals(r.state())).forEach(r -> sheetsStatus.duplicate());
                book.publish(results.stream().map(LedgerEntry::status).toList());
                return;
            } catch (SheetsException e) {
                connection.tabCache().invalidate(spreadsheetId);
                switch (e.kind()) {
                    case TRANSIENT -> {
                        // The failed call may have been a write that landed (new tabs included): re-read everything.
                        Duration wait = backoff.next();
                        sheetsStatus.backingOff(e.getMessage());
                        Log.warnf("%s; retrying %d receipt(s) in %d ms (attempt %d)", e.getMessage(), drafts.size(), wait.toMillis(), backoff.attempts());
                        Retrying.sleep(wait);
                    }
                    case INVALID -> {
                        if (++invalid > INVALID_RETRIES) {
                            fail(drafts, e.getMessage());
                            return;
                        }
                        Log.warnf("%s; reloading the tab list and retrying", e.getMessage());
                        Retrying.sleep(backoff.next());
                    }
                    default -> {
                        sheetsStatus.down(e.kind() == SheetsException.Kind.PERMISSION ? spreadsheetId : SheetsStatus.ANY, e.getMessage());
                        Log.error(e.getMessage());
                        fail(drafts, e.getMessage());
                        return;
                    }
                }
            } catch (LedgerUnavailableException e) {
                Duration wait = backoff.next();
                Log.warnf("%s; retrying in %d ms", e.getMessage(), wait.toMillis());
                Retrying.sleep(wait);
            }
        }
    }

    private void fail(List<LedgerEntry> drafts, String sentence) {
        book.settle(drafts.stream().map(d -> d.with(LedgerEntry.FAILED, null, d.tab(), null, sentence)).toList());
    }
}
