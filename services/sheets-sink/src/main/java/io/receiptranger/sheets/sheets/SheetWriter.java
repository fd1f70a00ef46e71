package io.receiptranger.sheets.sheets;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.AppendCellsRequest;
import com.google.api.services.sheets.v4.model.CellData;
import com.google.api.services.sheets.v4.model.CellFormat;
import com.google.api.services.sheets.v4.model.ExtendedValue;
import com.google.api.services.sheets.v4.model.NumberFormat;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.RowData;
import com.google.api.services.sheets.v4.model.SheetProperties;

import io.receiptranger.sheets.Fence;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.RowKey;
import io.receiptranger.sheets.WriterFencedException;
import io.receiptranger.sheets.ledger.Ledger;

/**
 * Writes one batch of receipts to one spreadsheet, never twice:
 * <ol>
 *   <li>read every target tab once (one {@code batchGet}), index its rows by {@link RowKey} by position;</li>
 *   <li>a receipt whose key is already there is either this receipt's own earlier write (its ledger
 *       entry is {@code PENDING}: a crash or a lost answer came between append and acknowledgement)
 *       → {@code WRITTEN} at that row, or a different receipt → {@code DUPLICATE};</li>
 *   <li>the rest are recorded {@code PENDING} in the ledger, then sent in ONE atomic
 *       {@code batchUpdate} (new tabs with their header + all rows of all tabs), then {@code WRITTEN}.</li>
 * </ol>
 * Re-running the same batch after any failure is therefore safe. The PENDING entries name the
 * writer; the {@link Fence} is checked after they are acknowledged and before the write.
 */
public class SheetWriter {

    /** The header of every month tab: Amount | Date | (blank) | Vendor | Category. */
    public static final List<String> HEADER = List.of("Amount", "Date", "", "Vendor", "Category");
    /** Dates are real date values shown like 1/20/2026. */
    public static final String DATE_PATTERN = "M/d/yyyy";
    /** Amounts are numbers shown with two decimals. */
    public static final String AMOUNT_PATTERN = "#,##0.00";
    public static final String FIELDS = "userEnteredValue,userEnteredFormat.numberFormat";

    private final SheetsClient client;
    private final Ledger ledger;
    private final TabCache tabCache;
    /** One change at a time per spreadsheet in this process: a correction deleting a row must not move rows under an append. */
    private final Map<String, java.util.concurrent.locks.ReentrantLock> locks = new java.util.concurrent.ConcurrentHashMap<>();

    public SheetWriter(SheetsClient client, Ledger ledger, TabCache tabCache) {
        this.client = client;
        this.ledger = ledger;
        this.tabCache = tabCache;
    }

    public SheetsClient client() {
        return client;
    }

    /**
     * Writes the drafts (ledger entries without a state, in extraction order) and returns their
     * final entries ({@code WRITTEN} or {@code DUPLICATE}), in the same order. The caller records them.
     */
    public List<LedgerEntry> write(String spreadsheetId, List<LedgerEntry> drafts, Fence fence) {
        java.util.concurrent.locks.ReentrantLock lock = locks.computeIfAbsent(spreadsheetId, k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            return writeLocked(spreadsheetId, drafts, fence);
        } finally {
            lock.unlock();
        }
    }

    /** Runs {@code change} while no other write or change of this spreadsheet runs in this process. */
    public void exclusively(String spreadsheetId, Runnable change) {
        java.util.concurrent.locks.ReentrantLock lock = locks.computeIfAbsent(spreadsheetId, k -> new java.util.concurrent.locks.ReentrantLock());
        lock.lock();
        try {
            change.run();
        } finally {
            lock.unlock();
        }
    }

    private List<LedgerEntry> writeLocked(String spreadsheetId, List<LedgerEntry> drafts, Fence fence) {
        Map<String, Integer> tabIds = tabCache.get(spreadsheetId, () -> client.tabs(spreadsheetId));
        List<String> targetTabs = drafts.stream().map(LedgerEntry::tab).distinct().toList();
        List<String> existing = targetTabs.stream().filter(tabIds::containsKey).toList();
        Map<String, List<List<Object>>> values = client.read(spreadsheetId, existing);

        Map<String, TabIndex> indexes = new LinkedHashMap<>();
        for (String tab : targetTabs) {
            indexes.put(tab, new TabIndex(values.get(tab), tabIds.containsKey(tab)));
        }
        Map<String, LedgerEntry> results = new HashMap<>();
        Map<String, List<LedgerEntry>> appends = new LinkedHashMap<>();
        // Keys another receipt already owns (written earlier, or in this batch): a PENDING receipt
        // finding such a key in the sheet found that receipt's row, not its own: it is a duplicate.
        Map<String, String> owners = new HashMap<>();
        for (LedgerEntry e : ledger.all()) {
            if (e.inTable() && spreadsheetId.equals(e.spreadsheetId())) {
                owners.putIfAbsent(e.tab() + "|" + RowKey.of(e.date(), e.amount(), e.vendor()), e.receiptId());
            }
        }
        for (LedgerEntry draft : drafts) {
            TabIndex index = indexes.get(draft.tab());
            RowKey key = RowKey.of(draft.date(), draft.amount(), draft.vendor());
            Optional<LedgerEntry> pending = ledger.get(draft.receiptId())
                    .filter(e -> LedgerEntry.PENDING.equals(e.state()) && spreadsheetId.equals(e.spreadsheetId()));
            Integer row = key.dedupable() ? index.find(key) : null;
            if (row == null && pending.isPresent() && !key.dedupable() && index.holdsAt(pending.get().row(), draft)) {
                // No key to search by (no vendor or amount): the PENDING entry's row is the marker.
                row = pending.get().row();
            }
            String owner = key.dedupable() ? owners.get(draft.tab() + "|" + key) : null;
            if (row != null && pending.isPresent() && (owner == null || owner.equals(draft.receiptId()))) {
                owners.putIfAbsent(draft.tab() + "|" + key, draft.receiptId());
                results.put(draft.receiptId(), draft.with(LedgerEntry.WRITTEN, spreadsheetId, draft.tab(), row, added(draft.tab(), row)));
            } else if (row != null) {
                results.put(draft.receiptId(), draft.with(LedgerEntry.DUPLICATE, spreadsheetId, draft.tab(), row, duplicate(draft, row)));
            } else {
                int at = index.append(key);
                if (key.dedupable()) {
                    owners.putIfAbsent(draft.tab() + "|" + key, draft.receiptId());
                }
                appends.computeIfAbsent(draft.tab(), t -> new ArrayList<>())
                        .add(draft.with(LedgerEntry.PENDING, spreadsheetId, draft.tab(), at, "writing to " + draft.tab() + ", row " + at));
            }
        }
        if (!appends.isEmpty()) {
            List<LedgerEntry> pendingEntries = appends.values().stream().flatMap(List::stream).map(e -> e.writtenBy(fence.writer())).toList();
            ledger.record(pendingEntries);
            try {
                // After PENDING is acknowledged, right before the write: a replica that lost the
                // partition stops here; one that still holds it writes before any new holder starts.
                fence.check();
            } catch (WriterFencedException e) {
                // Nothing is in flight: the new holder need not wait for this replica.
                ledger.record(pendingEntries.stream().map(p -> p.writtenBy(null)).toList());
                throw e;
            }
            Map<String, Integer> created = new LinkedHashMap<>();
            List<Request> requests = new ArrayList<>();
            for (Map.Entry<String, List<LedgerEntry>> tab : appends.entrySet()) {
                Integer sheetId = tabIds.get(tab.getKey());
                if (sheetId == null) {
                    sheetId = newSheetId(tabIds, created);
                    created.put(tab.getKey(), sheetId);
                    requests.add(new Request().setAddSheet(new AddSheetRequest()
                            .setProperties(new SheetProperties().setSheetId(sheetId).setTitle(tab.getKey()))));
                }
                List<RowData> rows = new ArrayList<>();
                if (indexes.get(tab.getKey()).needsHeader()) {
                    rows.add(header());
                }
                tab.getValue().forEach(e -> rows.add(row(e)));
                requests.add(new Request().setAppendCells(new AppendCellsRequest().setSheetId(sheetId).setRows(rows).setFields(FIELDS)));
            }
            client.write(spreadsheetId, requests);
            tabCache.added(spreadsheetId, created);
            for (LedgerEntry e : pendingEntries) {
                results.put(e.receiptId(), e.with(LedgerEntry.WRITTEN, spreadsheetId, e.tab(), e.row(), added(e.tab(), e.row())));
            }
        }
        return drafts.stream().map(d -> results.get(d.receiptId())).toList();
    }

    static String added(String tab, int row) {
        return "added to " + tab + ", row " + row;
    }

    static String duplicate(LedgerEntry draft, int row) {
        if (Normalize.UNKNOWN_DATE_TAB.equals(draft.tab())) {
            return "already in " + draft.tab() + ", row " + row + ": an undated receipt with the same vendor and amount ("
                    + (draft.vendor() == null || draft.vendor().isBlank() ? "Unknown vendor" : draft.vendor()) + ", $" + draft.amount()
                    + "). If this is a distinct purchase, add it manually: undated receipts with the same vendor and amount can't be told apart.";
        }
        return "already in " + draft.tab() + ", row " + row;
    }

    private static int newSheetId(Map<String, Integer> existing, Map<String, Integer> created) {
        while (true) {
            int id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            if (!existing.containsValue(id) && !created.containsValue(id)) {
                return id;
            }
        }
    }

    public static RowData header() {
        List<CellData> cells = new ArrayList<>();
        for (String title : HEADER) {
            cells.add(title.isEmpty() ? new CellData() : text(title));
        }
        return new RowData().setValues(cells);
    }

    /** Amount (number), date (a real date value), blank, vendor and categories (literal text, never formulas). */
    public static RowData row(LedgerEntry entry) {
        List<CellData> cells = new ArrayList<>();
        cells.add(Normalize.money(entry.amount())
                .map(a -> new CellData().setUserEnteredValue(new ExtendedValue().setNumberValue(a.doubleValue()))
                        .setUserEnteredFormat(new CellFormat().setNumberFormat(new NumberFormat().setType("NUMBER").setPattern(AMOUNT_PATTERN))))
                .orElseGet(CellData::new));
        cells.add(Normalize.date(entry.date())
                .map(d -> new CellData().setUserEnteredValue(new ExtendedValue().setNumberValue(serial(d)))
                        .setUserEnteredFormat(new CellFormat().setNumberFormat(new NumberFormat().setType("DATE").setPattern(DATE_PATTERN))))
                .orElseGet(CellData::new));
        cells.add(new CellData());
        cells.add(text(entry.vendor() == null ? "" : entry.vendor()));
        cells.add(text(entry.categories() == null ? "" : String.join(", ", entry.categories())));
        return new RowData().setValues(cells);
    }

    /** Sheets' date serial: days since 1899-12-30. */
    static double serial(LocalDate date) {
        return date.toEpochDay() - LocalDate.of(1899, 12, 30).toEpochDay();
    }

    /** stringValue is stored as typed: "=HYPERLINK(…)" or "+1" stay text. */
    private static CellData text(String value) {
        return new CellData().setUserEnteredValue(new ExtendedValue().setStringValue(value));
    }

    /** One tab's rows indexed by key, and where the next row goes. */
    static final class TabIndex {
        private final Map<RowKey, Integer> rows = new HashMap<>();
        private final List<List<Object>> read;
        private final boolean needsHeader;
        private int last;

        TabIndex(List<List<Object>> values, boolean exists) {
            List<List<Object>> rowsRead = values == null ? List.of() : values;
            read = rowsRead;
            needsHeader = !exists || rowsRead.isEmpty();
            last = needsHeader ? 1 : rowsRead.size();
            for (int i = 0; i < rowsRead.size(); i++) {
                int rowNumber = i + 1;
                RowKey.fromRow(rowsRead.get(i)).ifPresent(k -> rows.putIfAbsent(k, rowNumber));
            }
        }

        Integer find(RowKey key) {
            return rows.get(key);
        }

        /** Whether the sheet row (1-based) shows exactly this receipt's amount, date, vendor and categories. */
        boolean holdsAt(Integer row, LedgerEntry draft) {
            if (row == null || row < 1 || row > read.size()) {
                return false;
            }
            List<Object> cells = read.get(row - 1);
            String amount = cell(cells, 0);
            String date = cell(cells, 1);
            return Normalize.amountKey(amount).equals(Normalize.amountKey(draft.amount() == null ? "" : draft.amount()))
                    && Normalize.date(date).map(Object::toString).orElse(date).equals(draft.date() == null ? "" : draft.date())
                    && Normalize.vendor(cell(cells, 3)).equals(Normalize.vendor(draft.vendor()))
                    && cell(cells, 4).equals(draft.categories() == null ? "" : String.join(", ", draft.categories()));
        }

        private static String cell(List<Object> cells, int index) {
            return cells.size() > index && cells.get(index) != null ? String.valueOf(cells.get(index)).trim() : "";
        }

        boolean needsHeader() {
            return needsHeader;
        }

        int append(RowKey key) {
            last++;
            if (key.dedupable()) {
                rows.putIfAbsent(key, last);
            }
            return last;
        }
    }
}
