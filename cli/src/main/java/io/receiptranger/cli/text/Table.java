package io.receiptranger.cli.text;

import java.util.ArrayList;
import java.util.List;

/**
 * The original CLI's fixed-width table (SEED-SPEC §3.6): a header row, a row of dashes, then
 * left-aligned columns separated by two spaces, each as wide as its widest cell or header. A column
 * may have a minimum width (the original's blank "who paid" column is 5 wide). Numbers can be
 * right-aligned for the summary's totals.
 */
public final class Table {

    private final List<String> headers = new ArrayList<>();
    private final List<Integer> minimums = new ArrayList<>();
    private final List<Boolean> rightAligned = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    public Table column(String header) {
        return column(header, 0, false);
    }

    public Table column(String header, int minimumWidth, boolean right) {
        headers.add(header);
        minimums.add(minimumWidth);
        rightAligned.add(right);
        return this;
    }

    /** A row; every cell is made terminal-safe. */
    public Table row(String... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("expected " + headers.size() + " cells, got " + cells.length);
        }
        List<String> row = new ArrayList<>();
        for (String cell : cells) {
            row.add(Text.line(cell));
        }
        rows.add(row);
        return this;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The table as lines ending in {@code \n}; nothing for a table without rows. */
    public String render() {
        if (rows.isEmpty()) {
            return "";
        }
        int[] widths = new int[headers.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = Math.max(minimums.get(i), headers.get(i).length());
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, headers, widths);
        List<String> dashes = new ArrayList<>();
        for (int width : widths) {
            dashes.add("-".repeat(width));
        }
        line(out, dashes, widths);
        for (List<String> row : rows) {
            line(out, row, widths);
        }
        return out.toString();
    }

    private void line(StringBuilder out, List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append("  ");
            }
            String cell = cells.get(i);
            String pad = " ".repeat(widths[i] - cell.codePointCount(0, cell.length()));
            line.append(rightAligned.get(i) ? pad + cell : cell + pad);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}
