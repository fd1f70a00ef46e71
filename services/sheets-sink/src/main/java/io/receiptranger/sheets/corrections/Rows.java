package io.receiptranger.sheets.corrections;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.RowKey;

/**
 * Finding a receipt's row in a tab as read (formatted cells, by position: A amount, B date, D vendor,
 * E categories). The row number the ledger holds is a hint; the cells are the proof.
 */
final class Rows {

    private Rows() {
    }

    /**
     * The 1-based row showing exactly this entry's amount, date, vendor and categories: the ledger's
     * row if it does, else the first row that does. Null when no row does (edited or gone).
     */
    static Integer locate(List<List<Object>> rows, LedgerEntry entry) {
        if (holdsAt(rows, entry.row(), entry)) {
            return entry.row();
        }
        for (int i = 0; i < rows.size(); i++) {
            if (holdsAt(rows, i + 1, entry)) {
                return i + 1;
            }
        }
        return null;
    }

    static boolean holdsAt(List<List<Object>> rows, Integer row, LedgerEntry e) {
        if (row == null || row < 1 || row > rows.size()) {
            return false;
        }
        List<Object> cells = rows.get(row - 1);
        String amount = cell(cells, 0);
        String date = cell(cells, 1);
        if (amount.isEmpty() && cell(cells, 3).isEmpty()) {
            return false;
        }
        return Normalize.amountKey(amount).equals(Normalize.amountKey(e.amount() == null ? "" : e.amount()))
                && Normalize.date(date).map(Object::toString).orElse(date).equals(e.date() == null ? "" : e.date())
                && Normalize.vendor(cell(cells, 3)).equals(Normalize.vendor(e.vendor()))
                && cell(cells, 4).equals(e.categories() == null ? "" : String.join(", ", e.categories()));
    }

    /**
     * After a row of {@code tab} was deleted: the other receipts of that tab whose row number changed,
     * with the row that shows them now ({@code rowsNow} is the tab after the deletion). Computed from
     * the cells, so running it twice changes nothing the second time.
     */
    static List<LedgerEntry> renumbered(List<LedgerEntry> all, String spreadsheetId, String tab, String except, List<List<Object>> rowsNow,
            Integer removed) {
        List<LedgerEntry> out = new ArrayList<>();
        for (LedgerEntry e : all) {
            if (!e.inTable() || e.receiptId().equals(except) || !Objects.equals(spreadsheetId, e.spreadsheetId()) || !tab.equals(e.tab())
                    || e.row() == null || holdsAt(rowsNow, e.row(), e)) {
                continue;
            }
            Integer now = removed != null && e.row() > removed && holdsAt(rowsNow, e.row() - 1, e) ? Integer.valueOf(e.row() - 1)
                    : RowKey.of(e.date(), e.amount(), e.vendor()).dedupable() ? locate(rowsNow, e) : null;
            if (now != null && !now.equals(e.row())) {
                out.add(e.withPlace(tab, now));
            }
        }
        return out;
    }

    private static String cell(List<Object> cells, int index) {
        return cells != null && cells.size() > index && cells.get(index) != null ? String.valueOf(cells.get(index)).trim() : "";
    }
}
