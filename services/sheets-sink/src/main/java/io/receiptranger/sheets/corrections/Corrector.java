package io.receiptranger.sheets.corrections;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.AppendCellsRequest;
import com.google.api.services.sheets.v4.model.DeleteDimensionRequest;
import com.google.api.services.sheets.v4.model.DimensionRange;
import com.google.api.services.sheets.v4.model.GridCoordinate;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.RowData;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.UpdateCellsRequest;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.Correction;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.ReceiptCorrected;
import io.receiptranger.sheets.ReceiptRecorder;
import io.receiptranger.sheets.ReceiptStatus;
import io.receiptranger.sheets.RowKey;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.ledger.LedgerUnavailableException;
import io.receiptranger.sheets.messaging.StatusPublisher;
import io.receiptranger.sheets.sheets.Backoff;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsClient;
import io.receiptranger.sheets.sheets.SheetsException;
import io.receiptranger.sheets.sheets.SheetsConnection;
import io.receiptranger.sheets.sheets.TabCache;

/**
 * Applies the owner's changes ({@link ReceiptCorrected}) to a receipt's row and ledger entry, each
 * exactly once and only when the sheet still shows what the ledger says:
 * <ol>
 *   <li>a change already in the entry's history is a redelivery: nothing happens;</li>
 *   <li>the new values are checked ({@link CorrectionRules}); a value that would make the receipt
 *       share date + amount + vendor with another written receipt is refused (two receipts never
 *       own one key: crash recovery relies on it);</li>
 *   <li>the receipt's row is found: the row the ledger names if it still shows the ledger's values,
 *       else the row that does (the user sorted the tab, or a row above was deleted). None: the row
 *       was edited by hand, and the change is refused with that sentence: the sheet is the user's;</li>
 *   <li>the entry is recorded with the change as its {@code pending} marker, then the sheet is changed
 *       in ONE atomic {@code batchUpdate} (same month: {@code updateCells} in place; another month: append
 *       to that tab + delete the old row; delete: delete the row), then the entry is recorded with the
 *       new values and the change in its history, and the other receipts of a tab that lost a row get
 *       their row numbers from the sheet.</li>
 * </ol>
 * A redelivery after a crash finds the marker and reads the sheet: if the change is there it only
 * finishes the bookkeeping, if not it applies it. Transient trouble (429, 5xx, Kafka) is waited out.
 * One change at a time per spreadsheet (shared with the writer's lock), so rows never move under a write.
 */
@ApplicationScoped
public class Corrector {

    private final Ledger ledger;
    private final ReceiptRecorder recorder;
    private final SheetsConnection connection;
    private final StatusPublisher statuses;
    private final Duration undoWindow;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Clock clock;

    @Inject
    public Corrector(Ledger ledger, ReceiptRecorder recorder, SheetsConnection connection, StatusPublisher statuses, SinkConfig config) {
        this(ledger, recorder, connection, statuses, config.corrections().undoWindow(), config.sheets().backoff().initial(),
                config.sheets().backoff().max(), Clock.systemUTC());
    }

    public Corrector(Ledger ledger, ReceiptRecorder recorder, SheetsConnection connection, StatusPublisher statuses, Duration undoWindow,
            Duration backoffInitial, Duration backoffMax, Clock clock) {
        this.ledger = ledger;
        this.recorder = recorder;
        this.connection = connection;
        this.statuses = statuses;
        this.undoWindow = undoWindow;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.clock = clock;
    }

    /** Handles one change; returns once it is applied or refused (and recorded so). */
    public void handle(ReceiptCorrected change) {
        retrying(() -> {
            ledger.awaitCaughtUp();
            return null;
        });
        Optional<LedgerEntry> found = ledger.get(change.receiptId()).filter(e -> e.owner().equals(change.ownerOrDefault()));
        if (found.isEmpty()) {
            // The ingest checks the receipt before it publishes: this is an outside producer's mistake.
            Log.warnf("Ignoring %s %s: no receipt %s of that owner in the ledger", change.action(), change.correctionId(), change.receiptId());
            return;
        }
        LedgerEntry entry = found.get();
        if (entry.handled(change.correctionId())) {
            return;
        }
        Correction.Fields before = entry.fields();
        Correction asked = new Correction(change.correctionId(), change.action(), change.by(), change.at() == null ? clock.instant() : change.at(),
                before, null, entry.tab(), entry.row(), null, null, null, null, change.undoes());
        try {
            switch (change.action() == null ? "" : change.action()) {
                case ReceiptCorrected.CORRECT -> correct(entry, asked, change.applyTo(before));
                case ReceiptCorrected.DELETE -> delete(entry, asked);
                case ReceiptCorrected.UNDO -> undo(entry, asked);
                case ReceiptCorrected.ACCEPT -> accept(entry, asked, change.applyTo(before));
                case ReceiptCorrected.DISCARD -> discard(entry, asked);
                case ReceiptCorrected.DISMISS -> dismiss(entry, asked, change.rereadId());
                default -> throw new CorrectionRules.Refused("Unknown action \"" + change.action() + "\"; expected one of "
                        + String.join(", ", ReceiptCorrected.ACTIONS) + ".");
            }
        } catch (CorrectionRules.Refused refused) {
            LedgerEntry now = ledger.get(entry.receiptId()).orElse(entry);
            record(List.of(now.withHistory(asked.settled(Correction.REFUSED, refused.getMessage() + " Nothing was changed.", null, null))));
            Log.infof("Refused %s of %s: %s", change.action(), change.receiptId(), refused.getMessage());
        }
    }

    private void correct(LedgerEntry entry, Correction asked, Correction.Fields wanted) {
        requireState(entry, LedgerEntry.WRITTEN, "corrected");
        Correction.Fields after = CorrectionRules.check(wanted, today());
        if (same(after, entry.fields())) {
            throw new CorrectionRules.Refused("These are the values the receipt already has.");
        }
        change(entry, withAfter(asked, after), after, false);
    }

    private void undo(LedgerEntry entry, Correction asked) {
        Correction last = entry.corrections().stream().filter(Correction::applied)
                .filter(c -> ReceiptCorrected.UNDOABLE.contains(c.action())).reduce((a, b) -> b).orElse(null);
        if (last == null || !last.correctionId().equals(asked.undoes())) {
            throw new CorrectionRules.Refused("Only the last change of a receipt can be undone.");
        }
        if (last.at().plus(undoWindow).isBefore(clock.instant())) {
            throw new CorrectionRules.Refused("The change is older than " + undoWindow.toMinutes() + " minutes and can no longer be undone.");
        }
        Correction.Fields back = last.before();
        if (LedgerEntry.DELETED.equals(entry.state())) {
            restore(entry, new Correction(asked.correctionId(), asked.action(), asked.by(), asked.at(), entry.fields(), back, null, null,
                    last.fromTab(), null, null, null, asked.undoes()), back);
        } else {
            requireState(entry, LedgerEntry.WRITTEN, "changed back");
            change(entry, withAfter(asked, back), back, false);
        }
    }

    private void delete(LedgerEntry entry, Correction asked) {
        requireState(entry, LedgerEntry.WRITTEN, "deleted");
        change(entry, asked, entry.fields(), true);
    }

    /** A receipt held for review: written now (the normal never-twice path), possibly with corrected values. */
    private void accept(LedgerEntry entry, Correction asked, Correction.Fields wanted) {
        requireState(entry, LedgerEntry.REVIEW, "accepted");
        Correction.Fields after = CorrectionRules.check(wanted, today());
        LedgerEntry draft = entry.withFields(after).withHistory(withAfter(asked, after).settled(Correction.APPLIED,
                same(after, entry.fields()) ? "accepted" : "accepted with corrections", null, null));
        // The normal never-twice path (PENDING, one atomic write, WRITTEN or DUPLICATE), history carried along.
        recorder.writeAccepted(new LedgerEntry(draft.receiptId(), draft.batchId(), draft.owner(), null, draft.fileName(), draft.sha256(), draft.amount(),
                draft.currency(), draft.date(), draft.vendor(), draft.categories(), null, draft.tab(), null, null, draft.extractedAt(),
                draft.recordedAt(), null, draft.corrections(), null));
    }

    /** The owner keeps the values the receipt had: the re-read's offer is set aside; the row is not touched. */
    private void dismiss(LedgerEntry entry, Correction asked, String rereadId) {
        Correction offer = entry.openReread().orElse(null);
        if (offer == null || !offer.correctionId().equals(rereadId)) {
            throw new CorrectionRules.Refused("There is no re-read of this receipt waiting for a choice.");
        }
        record(List.of(entry.withHistory(withAfter(asked, entry.fields()).settled(Correction.APPLIED,
                "kept the values read before; the re-read's are set aside", entry.tab(), entry.row()))));
    }

    private void discard(LedgerEntry entry, Correction asked) {
        requireState(entry, LedgerEntry.REVIEW, "discarded");
        LedgerEntry discarded = entry.with(LedgerEntry.EXCLUDED, null, entry.tab(), null, "discarded in review")
                .withHistory(asked.settled(Correction.APPLIED, "discarded in review", null, null));
        record(List.of(discarded));
        publish(List.of(ReceiptStatus.of(entry.receiptId(), entry.batchId(), ReceiptStatus.EXCLUDED, "discarded in review")));
    }

    /** Corrects (same tab: in place; another tab: append + delete) or deletes the receipt's row, then the entry. */
    private void change(LedgerEntry entry, Correction asked, Correction.Fields after, boolean delete) {
        LedgerEntry target = entry.withFields(after);
        if (!delete) {
            refuseCollision(target);
        }
        if (entry.spreadsheetId() == null) {
            String detail = delete ? "deleted from the local ledger" : "corrected in the local ledger";
            LedgerEntry done = (delete ? entry.with(LedgerEntry.DELETED, null, entry.tab(), null, "deleted by " + asked.by()) : target.with(
                    target.state(), null, target.tab(), null, target.detail()))
                    .withHistory(asked.settled(Correction.APPLIED, detail, delete ? null : target.tab(), null));
            record(List.of(done));
            return;
        }
        String spreadsheetId = entry.spreadsheetId();
        SheetWriter writer = connection.writer().orElseThrow(() -> new CorrectionRules.Refused(connection.problem() + "."));
        onSheet(spreadsheetId, writer, () -> {
            SheetsClient client = writer.client();
            TabCache tabCache = connection.tabCache();
            Map<String, Integer> tabIds = tabCache.get(spreadsheetId, () -> client.tabs(spreadsheetId));
            LedgerEntry current = ledger.get(entry.receiptId()).orElse(entry);
            Correction marker = current.pending() != null && current.pending().correctionId().equals(asked.correctionId()) ? current.pending() : null;
            boolean move = !delete && !target.tab().equals(entry.tab());
            List<String> tabs = new ArrayList<>(List.of(entry.tab()));
            if (move) {
                tabs.add(target.tab());
            }
            Map<String, List<List<Object>>> values = client.read(spreadsheetId, tabs.stream().filter(tabIds::containsKey).toList());
            List<List<Object>> from = values.getOrDefault(entry.tab(), List.of());
            List<List<Object>> to = move ? values.getOrDefault(target.tab(), List.of()) : from;

            if (marker != null && landed(marker, entry, target, from, to, delete, move)) {
                Log.infof("%s %s of %s had reached the sheet before a restart; finishing it", asked.action(), asked.correctionId(), entry.receiptId());
                finish(spreadsheetId, entry, target, marker, delete, move, from);
                return;
            }
            Integer row = Rows.locate(from, entry);
            if (row == null) {
                throw new CorrectionRules.Refused("Row " + entry.row() + " of " + entry.tab() + " no longer shows what the ledger recorded ("
                        + describe(entry.fields()) + "): it was changed in the sheet. Correct it there, or put the values back first.");
            }
            Integer toRow = delete ? null : move ? (to.isEmpty() || !tabIds.containsKey(target.tab()) ? 2 : to.size() + 1) : row;
            Correction pending = new Correction(asked.correctionId(), asked.action(), asked.by(), asked.at(), asked.before(), asked.after(),
                    entry.tab(), row, delete ? null : target.tab(), toRow, null, null, asked.undoes());
            record(List.of(current.withPending(pending)));

            List<Request> requests = new ArrayList<>();
            Integer fromId = tabIds.get(entry.tab());
            if (delete) {
                requests.add(deleteRow(fromId, row));
            } else if (!move) {
                requests.add(new Request().setUpdateCells(new UpdateCellsRequest()
                        .setStart(new GridCoordinate().setSheetId(fromId).setRowIndex(row - 1).setColumnIndex(0))
                        .setRows(List.of(SheetWriter.row(target))).setFields(SheetWriter.FIELDS)));
            } else {
                Integer toId = tabIds.get(target.tab());
                List<RowData> rows = new ArrayList<>();
                if (toId == null || to.isEmpty()) {
                    rows.add(SheetWriter.header());
                }
                if (toId == null) {
                    toId = newSheetId(tabIds);
                    requests.add(new Request().setAddSheet(new AddSheetRequest()
                            .setProperties(new SheetProperties().setSheetId(toId).setTitle(target.tab()))));
                    tabCache.added(spreadsheetId, Map.of(target.tab(), toId));
                }
                rows.add(SheetWriter.row(target));
                requests.add(new Request().setAppendCells(new AppendCellsRequest().setSheetId(toId).setRows(rows).setFields(SheetWriter.FIELDS)));
                requests.add(deleteRow(fromId, row));
            }
            client.write(spreadsheetId, requests);
            List<List<Object>> after2 = from;
            if (delete || move) {
                after2 = new ArrayList<>(from);
                after2.remove(row.intValue() - 1);
            }
            finish(spreadsheetId, entry, target, pending, delete, move, after2);
        });
    }

    /** A deleted receipt comes back (undo): its row is appended to its month tab again. */
    private void restore(LedgerEntry entry, Correction asked, Correction.Fields back) {
        LedgerEntry target = entry.withFields(back).with(LedgerEntry.WRITTEN, entry.spreadsheetId(), Normalize.tab(back.date()), null,
                "restored by " + asked.by());
        refuseCollision(target);
        if (entry.spreadsheetId() == null) {
            record(List.of(target.withHistory(asked.settled(Correction.APPLIED, "restored in the local ledger", target.tab(), null))));
            return;
        }
        String spreadsheetId = entry.spreadsheetId();
        SheetWriter writer = connection.writer().orElseThrow(() -> new CorrectionRules.Refused(connection.problem() + "."));
        onSheet(spreadsheetId, writer, () -> {
            SheetsClient client = writer.client();
            TabCache tabCache = connection.tabCache();
            Map<String, Integer> tabIds = tabCache.get(spreadsheetId, () -> client.tabs(spreadsheetId));
            LedgerEntry current = ledger.get(entry.receiptId()).orElse(entry);
            Correction marker = current.pending() != null && current.pending().correctionId().equals(asked.correctionId()) ? current.pending() : null;
            List<List<Object>> to = tabIds.containsKey(target.tab())
                    ? client.read(spreadsheetId, List.of(target.tab())).getOrDefault(target.tab(), List.of()) : List.of();
            Integer there = Rows.locate(to, target.withPlace(target.tab(), marker == null ? null : marker.toRow()));
            if (marker != null && there != null) {
                record(List.of(settle(target, marker, there, "restored to " + target.tab() + ", row " + there)));
                return;
            }
            Integer toId = tabIds.get(target.tab());
            int toRow = toId == null || to.isEmpty() ? 2 : to.size() + 1;
            Correction pending = new Correction(asked.correctionId(), asked.action(), asked.by(), asked.at(), asked.before(), asked.after(),
                    null, null, target.tab(), toRow, null, null, asked.undoes());
            record(List.of(current.withPending(pending)));
            List<Request> requests = new ArrayList<>();
            List<RowData> rows = new ArrayList<>();
            if (toId == null || to.isEmpty()) {
                rows.add(SheetWriter.header());
            }
            if (toId == null) {
                toId = newSheetId(tabIds);
                requests.add(new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setSheetId(toId).setTitle(target.tab()))));
                tabCache.added(spreadsheetId, Map.of(target.tab(), toId));
            }
            rows.add(SheetWriter.row(target));
            requests.add(new Request().setAppendCells(new AppendCellsRequest().setSheetId(toId).setRows(rows).setFields(SheetWriter.FIELDS)));
            client.write(spreadsheetId, requests);
            record(List.of(settle(target, pending, toRow, "restored to " + target.tab() + ", row " + toRow)));
        });
    }

    /** Whether the change the marker describes is already in the sheet (a restart came between the write and the bookkeeping). */
    private static boolean landed(Correction marker, LedgerEntry entry, LedgerEntry target, List<List<Object>> from, List<List<Object>> to,
            boolean delete, boolean move) {
        boolean oldGone = Rows.locate(from, entry) == null;
        if (delete) {
            return oldGone;
        }
        Integer there = Rows.locate(to, target.withPlace(target.tab(), move ? marker.toRow() : marker.fromRow()));
        return there != null && oldGone;
    }

    /** The bookkeeping after the sheet change: the entry with its new values and history, and the row numbers of a tab that lost a row. */
    private void finish(String spreadsheetId, LedgerEntry entry, LedgerEntry target, Correction marker, boolean delete, boolean move,
            List<List<Object>> fromAfter) {
        List<LedgerEntry> out = new ArrayList<>();
        LedgerEntry base = ledger.get(entry.receiptId()).orElse(entry);
        if (delete) {
            out.add(base.with(LedgerEntry.DELETED, spreadsheetId, entry.tab(), null, "deleted by " + marker.by())
                    .withHistory(marker.settled(Correction.APPLIED, "deleted from " + entry.tab() + ", row " + marker.fromRow(), null, null)));
        } else {
            // Under the spreadsheet's lock nothing else appended meanwhile: the predicted row is the row.
            Integer row = marker.toRow();
            String detail = move ? "moved to " + target.tab() + ", row " + row : "corrected in " + target.tab() + ", row " + row;
            out.add(settle(target, marker, row, detail));
        }
        if (delete || move) {
            out.addAll(Rows.renumbered(ledger.all(), spreadsheetId, entry.tab(), entry.receiptId(), fromAfter, marker.fromRow()));
        }
        record(out);
    }

    private static LedgerEntry settle(LedgerEntry target, Correction marker, Integer row, String detail) {
        return target.with(LedgerEntry.WRITTEN, target.spreadsheetId(), target.tab(), row, target.detail())
                .withHistory(marker.settled(Correction.APPLIED, detail, target.tab(), row));
    }

    private void refuseCollision(LedgerEntry target) {
        RowKey key = RowKey.of(target.date(), target.amount(), target.vendor());
        if (!key.dedupable()) {
            return;
        }
        for (LedgerEntry other : ledger.all()) {
            if (other.inTable() && !other.receiptId().equals(target.receiptId()) && other.owner().equals(target.owner())
                    && Objects.equals(other.spreadsheetId(), target.spreadsheetId()) && other.tab().equals(target.tab())
                    && RowKey.of(other.date(), other.amount(), other.vendor()).equals(key)) {
                throw new CorrectionRules.Refused("Another receipt (" + other.fileName() + ", " + other.tab()
                        + (other.row() == null ? "" : ", row " + other.row()) + ") already has this date, amount and vendor.");
            }
        }
    }

    private static void requireState(LedgerEntry entry, String state, String verb) {
        if (!state.equals(entry.state())) {
            String now = switch (entry.state()) {
                case LedgerEntry.DELETED -> "it was deleted";
                case LedgerEntry.REVIEW -> "it is waiting for review: accept it first";
                case LedgerEntry.WRITTEN -> "it is already written";
                case LedgerEntry.DUPLICATE -> "it is a duplicate of a row already in the sheet";
                case LedgerEntry.PENDING -> "it is still being written";
                default -> "it is " + entry.state().toLowerCase(java.util.Locale.ROOT);
            };
            throw new CorrectionRules.Refused("This receipt cannot be " + verb + ": " + now + ".");
        }
    }

    private static Correction withAfter(Correction asked, Correction.Fields after) {
        return new Correction(asked.correctionId(), asked.action(), asked.by(), asked.at(), asked.before(), after, asked.fromTab(),
                asked.fromRow(), asked.toTab(), asked.toRow(), asked.outcome(), asked.detail(), asked.undoes());
    }

    static boolean same(Correction.Fields a, Correction.Fields b) {
        return Normalize.amountKey(a.amount()).equals(Normalize.amountKey(b.amount())) && Objects.equals(a.date(), b.date())
                && Objects.equals(a.vendor(), b.vendor()) && a.categories().equals(b.categories());
    }

    private static String describe(Correction.Fields f) {
        return (f.amount() == null ? "no amount" : f.amount()) + ", " + (f.date() == null ? "no date" : Normalize.sheetDate(f.date())) + ", "
                + (f.vendor() == null ? "no vendor" : f.vendor());
    }

    private static Request deleteRow(Integer sheetId, int row) {
        return new Request().setDeleteDimension(new DeleteDimensionRequest().setRange(
                new DimensionRange().setSheetId(sheetId).setDimension("ROWS").setStartIndex(row - 1).setEndIndex(row)));
    }

    private static int newSheetId(Map<String, Integer> existing) {
        while (true) {
            int id = java.util.concurrent.ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            if (!existing.containsValue(id)) {
                return id;
            }
        }
    }

    private LocalDate today() {
        return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    }

    /** Runs a sheet change under the spreadsheet's write lock, waiting out transient trouble; a refusal ends it. */
    private void onSheet(String spreadsheetId, SheetWriter writer, Runnable change) {
        Backoff backoff = new Backoff(backoffInitial, backoffMax);
        int invalid = 0;
        while (true) {
            try {
                writer.exclusively(spreadsheetId, change);
                return;
            } catch (SheetsException e) {
                connection.tabCache().invalidate(spreadsheetId);
                switch (e.kind()) {
                    case TRANSIENT -> Log.warnf("%s; retrying the correction", e.getMessage());
                    case INVALID -> {
                        if (++invalid > 3) {
                            throw new CorrectionRules.Refused("Google Sheets rejected the change: " + e.getMessage() + ".");
                        }
                    }
                    default -> throw new CorrectionRules.Refused(e.getMessage() + ".");
                }
                sleep(backoff.next());
            } catch (LedgerUnavailableException e) {
                Log.warnf("%s; retrying the correction", e.getMessage());
                sleep(backoff.next());
            }
        }
    }

    private void record(List<LedgerEntry> entries) {
        retrying(() -> {
            ledger.record(entries);
            return null;
        });
    }

    private void publish(List<ReceiptStatus> list) {
        retrying(() -> {
            statuses.publishAll(list);
            return null;
        });
    }

    private <T> T retrying(java.util.function.Supplier<T> action) {
        Backoff backoff = new Backoff(backoffInitial, backoffMax);
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (e instanceof CorrectionRules.Refused || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Log.warnf("%s; retrying in a moment", e.getMessage());
                sleep(backoff.next());
            }
        }
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }

    /** For the REST view: when an applied change stops being undoable. */
    public Instant undoableUntil(Correction c) {
        return c.at().plus(undoWindow);
    }
}
