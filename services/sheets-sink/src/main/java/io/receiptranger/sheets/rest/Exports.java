package io.receiptranger.sheets.rest;

import java.util.List;
import java.util.stream.Collectors;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;

/**
 * The table as text to paste into a spreadsheet (CONTRACT.md §4): the original's layout
 * {@code Amount, Date, (blank), Vendor, Category}, amount with 2 decimals, date {@code M/D/YYYY},
 * categories joined by {@code ", "}. Text cells that a spreadsheet would read as a formula
 * ({@code = + - @}) get a leading {@code '}; tabs and line breaks inside values become spaces.
 */
public final class Exports {

    private Exports() {
    }

    public static String tsv(List<LedgerEntry> entries) {
        StringBuilder out = new StringBuilder("Amount\tDate\t\tVendor\tCategory\n");
        for (LedgerEntry e : entries) {
            out.append(String.join("\t", cells(e))).append('\n');
        }
        return out.toString();
    }

    public static String csv(List<LedgerEntry> entries) {
        StringBuilder out = new StringBuilder("Amount,Date,,Vendor,Category\r\n");
        for (LedgerEntry e : entries) {
            out.append(cells(e).stream().map(Exports::csvQuote).collect(Collectors.joining(","))).append("\r\n");
        }
        return out.toString();
    }

    static List<String> cells(LedgerEntry e) {
        return List.of(
                e.amount() == null ? "" : Normalize.money(e.amount()).map(a -> a.toPlainString()).orElse(""),
                e.date() == null ? "" : Normalize.sheetDate(e.date()),
                "",
                safe(e.vendor()),
                safe(e.categories() == null ? "" : String.join(", ", e.categories())));
    }

    /** Neutralises formula-like text and flattens tabs and line breaks. */
    public static String safe(String value) {
        if (value == null) {
            return "";
        }
        String flat = value.replaceAll("[\\t\\r\\n]+", " ");
        if (!flat.isEmpty() && "=+-@".indexOf(flat.charAt(0)) >= 0) {
            return "'" + flat;
        }
        return flat;
    }

    private static String csvQuote(String value) {
        if (value.contains(",") || value.contains("\"")) {
            return "\"" + value.replace("\"", "\"\"") + "\"";
        }
        return value;
    }
}
