package io.receiptranger.cli.text;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * What the CLI prints of text that came from elsewhere (receipt contents, model output, file names,
 * server sentences): never a terminal control sequence. Plus the original's cell formats.
 */
public final class Text {

    private Text() {
    }

    /**
     * For a terminal line: control characters (C0, DEL, C1 — an ESC could move the cursor, recolour
     * or retitle the terminal) and bidirectional overrides are dropped, tabs and line breaks become spaces.
     */
    public static String line(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (c == '\t' || c == '\n' || c == '\r') {
                out.append(' ');
            } else if (!invisible(c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /**
     * For exported text (TSV, CSV, JSON) passed through byte for byte: only characters that would act
     * on a terminal are dropped; tabs, line breaks and everything printable stay as the server wrote them.
     */
    public static String export(String value) {
        StringBuilder out = new StringBuilder(value.length());
        value.codePoints().forEach(c -> {
            if (c == '\t' || c == '\n' || c == '\r' || !invisible(c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    private static boolean invisible(int c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    }

    /** Amount cell: 2 decimals ({@code 25.5} → {@code 25.50}), empty when unknown. */
    public static String amount(String value) {
        if (value == null || value.isBlank()) {
            return "";
        }
        try {
            return new BigDecimal(value.trim()).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
        } catch (NumberFormatException e) {
            return line(value);
        }
    }

    /** Date cell as the sheet and the TSV show it: {@code M/D/YYYY} ({@code 2026-02-05} → {@code 2/5/2026}); empty when undated. */
    public static String date(String iso) {
        if (iso == null || iso.isBlank()) {
            return "";
        }
        try {
            LocalDate d = LocalDate.parse(iso.trim());
            return d.getMonthValue() + "/" + d.getDayOfMonth() + "/" + d.getYear();
        } catch (DateTimeParseException e) {
            return line(iso);
        }
    }

    /** Category cell: labels joined by {@code ", "}. */
    public static String categories(List<String> categories) {
        return categories == null ? "" : line(String.join(", ", categories));
    }
}
