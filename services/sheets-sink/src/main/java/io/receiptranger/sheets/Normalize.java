package io.receiptranger.sheets;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The original's comparison and formatting rules (SEED-SPEC §2.3), fixed where it had bugs:
 * one key-builder for every path (G1), amounts as 2-place decimals (bug 18, G6), dates shown
 * {@code M/D/YYYY} without leading zeros (bug 6).
 */
public final class Normalize {

    private static final Pattern PLAIN_AMOUNT = Pattern.compile("-?(\\d{1,15}(\\.\\d{0,8})?|\\.\\d{1,8})");

    public static final String UNKNOWN_DATE_TAB = "Unknown Date";

    private static final DateTimeFormatter MONTH_TAB = DateTimeFormatter.ofPattern("MMMM uuuu", Locale.US);
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.ofPattern("M/d/uuuu").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ISO_LOCAL_DATE);
    private static final DateTimeFormatter TWO_DIGIT_YEAR = DateTimeFormatter.ofPattern("M/d/uu").withResolverStyle(ResolverStyle.STRICT);

    private Normalize() {
    }

    /** Vendor for comparison only: whitespace runs collapsed, trimmed, casefolded. {@code null} → "". */
    public static String vendor(Object vendor) {
        if (vendor == null) {
            return "";
        }
        String collapsed = String.valueOf(vendor).replaceAll("\\s+", " ").trim();
        // toUpperCase then toLowerCase approximates Unicode casefolding (ß → ss).
        return collapsed.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    }

    /** Amount for comparison: 2-place decimal ({@code 25.5}, {@code $25.50}, {@code 25} → {@code 25.50}); otherwise the trimmed text. */
    public static String amountKey(Object amount) {
        if (amount == null) {
            return "";
        }
        return money(String.valueOf(amount)).map(BigDecimal::toPlainString).orElse(String.valueOf(amount).trim());
    }

    /** Parses {@code 25.5}, {@code $1,234.50}, {@code  25 } as a 2-place decimal. */
    public static Optional<BigDecimal> money(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String cleaned = text.trim().replace("$", "").replace(",", "").replace(" ", "");
        // Plain decimals only: "1e999999999" would make BigDecimal throw, and "1e60000000" take 38 s.
        if (!plainAmount(cleaned)) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(cleaned).setScale(2, RoundingMode.HALF_UP));
    }

    /** At most 15 digits before the point and 8 after, no exponent: what any receipt's amount looks like. */
    public static boolean plainAmount(String text) {
        return text != null && text.length() <= 25 && PLAIN_AMOUNT.matcher(text).matches();
    }

    /** Parses a date the way the original did: {@code M/D/YYYY}, then ISO, then {@code M/D/YY} (00–68 → 20xx). */
    public static Optional<LocalDate> date(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        String trimmed = text.trim();
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                return Optional.of(LocalDate.parse(trimmed, format));
            } catch (DateTimeParseException e) {
                // next format
            }
        }
        try {
            LocalDate parsed = LocalDate.parse(trimmed, TWO_DIGIT_YEAR);
            int yy = parsed.getYear() % 100;
            return Optional.of(parsed.withYear(yy <= 68 ? 2000 + yy : 1900 + yy));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** {@code 02/05/2026} → {@code 2/5/2026}; "" stays ""; an unparseable string is returned unchanged. */
    public static String sheetDate(String text) {
        if (text == null || text.isBlank()) {
            return "";
        }
        return date(text).map(Normalize::sheetDate).orElse(text);
    }

    public static String sheetDate(LocalDate date) {
        return date.getMonthValue() + "/" + date.getDayOfMonth() + "/" + date.getYear();
    }

    /** The tab a receipt goes to: {@code January 2026}, or {@code Unknown Date} when undated or unparseable. */
    public static String tab(String date) {
        return date(date).map(Normalize::tab).orElse(UNKNOWN_DATE_TAB);
    }

    public static String tab(LocalDate date) {
        return date.format(MONTH_TAB);
    }
}
