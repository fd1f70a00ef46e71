package io.receiptranger.ingest.view;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The batch as spreadsheet text (CONTRACT §4): extracted, non-excluded receipts only; header
 * {@code Amount, Date, (blank), Vendor, Category}; amount with two decimals; date {@code M/D/YYYY};
 * formula-like cells prefixed with {@code '}; tabs and line breaks inside a value become spaces.
 */
public final class Exports {

    private static final Pattern PLAIN_AMOUNT = Pattern.compile("-?(\\d{1,15}(\\.\\d{0,8})?|\\.\\d{1,8})");

    static final List<String> HEADER = List.of("Amount", "Date", "", "Vendor", "Category");

    private Exports() {
    }

    public static String tsv(BatchSnapshot batch) {
        StringBuilder out = new StringBuilder(String.join("\t", HEADER)).append('\n');
        for (List<String> row : rows(batch)) {
            out.append(String.join("\t", row.stream().map(Exports::cell).toList())).append('\n');
        }
        return out.toString();
    }

    public static String csv(BatchSnapshot batch) {
        StringBuilder out = new StringBuilder(String.join(",", HEADER)).append("\r\n");
        for (List<String> row : rows(batch)) {
            out.append(String.join(",", row.stream().map(Exports::cell).map(Exports::quoteCsv).toList())).append("\r\n");
        }
        return out.toString();
    }

    static List<List<String>> rows(BatchSnapshot batch) {
        return batch.receipts().stream()
                .filter(r -> amount(r) != null)
                .map(r -> List.of(amount(r).toPlainString(), date(r.receipt().date()), "",
                        nullToEmpty(r.receipt().vendor()),
                        r.receipt().categories() == null ? "" : String.join(", ", r.receipt().categories())))
                .toList();
    }

    /** The receipt's total when it was extracted and not excluded; otherwise null. */
    static BigDecimal amount(ReceiptView r) {
        if (!"EXTRACTED".equals(r.outcome()) || r.receipt() == null || r.receipt().total() == null) {
            return null;
        }
        String total = r.receipt().total().trim();
        return plainAmount(total) ? new BigDecimal(total).setScale(2, RoundingMode.HALF_UP) : null;
    }

    /**
     * At most 15 digits before the point and 8 after, no exponent: what a receipt's amount looks like.
     * {@code new BigDecimal("1e999999999").setScale(2)} throws, and {@code "1e60000000"} takes 38 s.
     */
    static boolean plainAmount(String text) {
        return text != null && text.length() <= 25 && PLAIN_AMOUNT.matcher(text).matches();
    }

    static String date(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            LocalDate d = LocalDate.parse(iso.trim());
            return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear();
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** Neutralises a cell for pasting into a spreadsheet (CONTRACT §4). */
    public static String cell(String value) {
        String v = value == null ? "" : value.replaceAll("[\\t\\r\\n]", " ");
        if (!v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        return v;
    }

    private static String quoteCsv(String v) {
        if (v.contains(",") || v.contains("\"")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
