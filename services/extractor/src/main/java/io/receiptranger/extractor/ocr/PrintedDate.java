package io.receiptranger.extractor.ocr;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The purchase date printed on a receipt, in every common order:
 * <ul>
 * <li>{@code 2018-12-25}, {@code 2018/12/25} (year first: always year-month-day);</li>
 * <li>{@code 25/12/2018}, {@code 25-12-18}, {@code 25.12.2018}, {@code 12/25/2018}: two numbers and a year
 * (two digits: 00–68 → 20xx). A first number above 12 is a day, a second above 12 is a day: both are
 * unambiguous and always accepted. When both are ≤ 12 the {@link DateOrder} decides;</li>
 * <li>{@code 25 Dec 2018}, {@code 28Mar 18}, {@code 25-DEC-2018}, {@code Dec 25, 2018}.</li>
 * </ul>
 * A year glued to the time ({@code 22/12/201714:03}) is read as 2017. The first date of the text that is
 * a real calendar date, not before 1990 and not after today, wins. Patterns are linear (bounded
 * repetitions, no nested quantifiers); each line is cut at {@link Amounts#MAX_LINE} characters.
 */
final class PrintedDate {

    private static final String YEAR = "((?:19|20)\\d{2}|\\d{2})";
    private static final String MONTH_NAME = "(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]{0,6}";
    private static final Pattern YEAR_FIRST = Pattern.compile("(?<!\\d)((?:19|20)\\d{2})([/.-])(\\d{1,2})\\2(\\d{1,2})(?!\\d)");
    /** Preceded by a non-digit; the loose variant finds {@code 29/07/2016} glued to an invoice number. */
    private static final Pattern NUMERIC = Pattern.compile("(?<!\\d)(\\d{1,2}) ?([/.-]) ?(\\d{1,2}) ?\\2 ?" + YEAR);
    private static final Pattern NUMERIC_LOOSE = Pattern.compile("(\\d{1,2})([/-])(\\d{1,2})\\2((?:19|20)\\d{2})");
    private static final Pattern DAY_MONTH_NAME = Pattern.compile(
            "(?<!\\d)(\\d{1,2}) ?[-/ ]? ?" + MONTH_NAME + "\\.?[-/ ,]{0,2} ?" + YEAR, Pattern.CASE_INSENSITIVE);
    private static final Pattern MONTH_NAME_DAY = Pattern.compile(
            "\\b" + MONTH_NAME + "\\.? ?(\\d{1,2})(?:st|nd|rd|th)?,? ?((?:19|20)\\d{2})", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final int EARLIEST_YEAR = 1990;
    /** {@code 100CT2017}, {@code 05 0CT 2025}: OCR's zero for the O of OCT. */
    private static final Pattern ZERO_CT = Pattern.compile("(?<![A-Z])0CT", Pattern.CASE_INSENSITIVE);

    private PrintedDate() {
    }

    static Optional<LocalDate> find(List<String> lines, DateOrder order, LocalDate today) {
        for (Pattern loose : new Pattern[] { null, NUMERIC_LOOSE }) {
            for (String raw : lines) {
                String line = Amounts.bounded(raw).replace('O', '0').replace('o', '0');
                Optional<LocalDate> d = loose == null ? inLine(line, raw, order, today) : numeric(loose, line, order, today);
                if (d.isPresent()) {
                    return d;
                }
            }
        }
        return Optional.empty();
    }

    /** {@code line}: O read as 0 (for digits); {@code raw}: as read (for month names). */
    private static Optional<LocalDate> inLine(String line, String raw, DateOrder order, LocalDate today) {
        Matcher m = YEAR_FIRST.matcher(line);
        while (m.find()) {
            Optional<LocalDate> d = date(m.group(1), m.group(3), m.group(4), today);
            if (d.isPresent()) {
                return d;
            }
        }
        Optional<LocalDate> d = numeric(NUMERIC, line, order, today);
        if (d.isPresent()) {
            return d;
        }
        String text = ZERO_CT.matcher(Amounts.bounded(raw)).replaceAll(" OCT");
        m = DAY_MONTH_NAME.matcher(text);
        while (m.find()) {
            d = date(m.group(3), month(m.group(2)), m.group(1), today);
            if (d.isPresent()) {
                return d;
            }
        }
        m = MONTH_NAME_DAY.matcher(text);
        while (m.find()) {
            d = date(m.group(3), month(m.group(1)), m.group(2), today);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private static Optional<LocalDate> numeric(Pattern pattern, String line, DateOrder order, LocalDate today) {
        Matcher m = pattern.matcher(line);
        while (m.find()) {
            int a = Integer.parseInt(m.group(1));
            int b = Integer.parseInt(m.group(3));
            boolean dayFirst = a > 12 || (b <= 12 && order == DateOrder.DAY_FIRST);
            Optional<LocalDate> d = dayFirst ? date(m.group(4), m.group(3), m.group(1), today)
                    : date(m.group(4), m.group(1), m.group(3), today);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private static String month(String name) {
        return String.valueOf(MONTHS.get(name.substring(0, 3).toUpperCase(Locale.ROOT)));
    }

    private static Optional<LocalDate> date(String year, String month, String day, LocalDate today) {
        int y = Integer.parseInt(year);
        if (year.length() == 2) {
            y = y <= 68 ? 2000 + y : 1900 + y;
        }
        try {
            LocalDate d = LocalDate.of(y, Integer.parseInt(month), Integer.parseInt(day));
            return d.getYear() < EARLIEST_YEAR || d.isAfter(today) ? Optional.empty() : Optional.of(d);
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }
}
