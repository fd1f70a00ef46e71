package io.receiptranger.sheets;

import java.util.Optional;

/**
 * The duplicate-detection key, built the same way for rows read from the sheet and for incoming
 * receipts: date + amount + vendor. {@code date} is ISO ({@code 2026-01-20}) or "" for undated
 * rows, so undated receipts only ever match undated rows.
 */
public record RowKey(String date, String amount, String vendor) {

    /** A key from an incoming receipt. */
    public static RowKey of(String isoOrTypedDate, String amount, String vendor) {
        String date = Normalize.date(isoOrTypedDate).map(Object::toString)
                .orElse(isoOrTypedDate == null ? "" : isoOrTypedDate.trim());
        return new RowKey(date, Normalize.amountKey(amount), Normalize.vendor(vendor));
    }

    /**
     * A key from a sheet row read by position (A amount, B date, D vendor), as the user sees the
     * cells. Empty when the row cannot be a receipt: no amount, a zero amount, no vendor, or a header.
     */
    public static Optional<RowKey> fromRow(java.util.List<Object> row) {
        String amount = cell(row, 0);
        String vendor = cell(row, 3);
        if (amount.isBlank() || vendor.isBlank() || amount.equalsIgnoreCase("amount")) {
            return Optional.empty();
        }
        if (Normalize.money(amount).map(a -> a.signum() == 0).orElse(false)) {
            return Optional.empty();
        }
        return Optional.of(of(cell(row, 1), amount, vendor));
    }

    /** Whether this key can identify a duplicate (the original skipped blank amounts and vendors). */
    public boolean dedupable() {
        return !amount.isBlank() && !vendor.isBlank() && !"0.00".equals(amount);
    }

    private static String cell(java.util.List<Object> row, int index) {
        if (row == null || row.size() <= index || row.get(index) == null) {
            return "";
        }
        return String.valueOf(row.get(index)).trim();
    }
}
