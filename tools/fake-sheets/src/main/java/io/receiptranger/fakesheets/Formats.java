package io.receiptranger.fakesheets;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Google Sheets (locale en_US) shows a value and how it parses what a user types. Only what
 * receipts need: general numbers, number/currency patterns, date patterns, text, formulas (never
 * evaluated: the fake shows {@value #FORMULA_SHOWN}).
 */
final class Formats {

    /** What the fake shows for a formula cell; real Sheets would evaluate it. */
    static final String FORMULA_SHOWN = "#FORMULA!";

    /** Day zero of Sheets' serial dates. */
    static final LocalDate EPOCH = LocalDate.of(1899, 12, 30);

    private static final Pattern NUMBER_TYPED = Pattern.compile("^([+-]?)(\\$?)([0-9]{1,3}(,[0-9]{3})+|[0-9]*)(\\.[0-9]+)?$");
    private static final Pattern US_DATE = Pattern.compile("^(\\d{1,2})/(\\d{1,2})/(\\d{4}|\\d{2})$");
    private static final Pattern ISO_DATE = Pattern.compile("^(\\d{4})-(\\d{1,2})-(\\d{1,2})$");

    private Formats() {
    }

    static String formatted(Cell cell) {
        if (cell == null || cell.value() == null) {
            return "";
        }
        return switch (cell.kind()) {
            case "FORMULA" -> FORMULA_SHOWN;
            case "BOOL" -> ((Boolean) cell.value()) ? "TRUE" : "FALSE";
            case "STRING" -> (String) cell.value();
            case "NUMBER" -> number((Double) cell.value(), cell.formatType(), cell.pattern());
            default -> "";
        };
    }

    static String number(double value, String type, String pattern) {
        if (type != null && (type.equals("DATE") || type.equals("DATE_TIME")) && pattern != null) {
            return date(EPOCH.plusDays((long) Math.floor(value)), pattern);
        }
        if (type != null && (type.equals("DATE") || type.equals("DATE_TIME"))) {
            return date(EPOCH.plusDays((long) Math.floor(value)), "M/d/yyyy");
        }
        if (pattern != null && !pattern.isBlank()) {
            DecimalFormat format = new DecimalFormat(pattern.replace("\"", ""), DecimalFormatSymbols.getInstance(Locale.US));
            return format.format(value);
        }
        if (type != null && type.equals("CURRENCY")) {
            return new DecimalFormat("$#,##0.00", DecimalFormatSymbols.getInstance(Locale.US)).format(value);
        }
        return general(value);
    }

    /** Sheets' automatic format: no trailing zeros, no grouping. */
    static String general(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    /** Formats a date with a Sheets date pattern (tokens d, dd, ddd, dddd, m…mmmm, yy, yyyy; any case). */
    static String date(LocalDate date, String pattern) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < pattern.length()) {
            char c = Character.toLowerCase(pattern.charAt(i));
            int run = 1;
            while (i + run < pattern.length() && Character.toLowerCase(pattern.charAt(i + run)) == c) {
                run++;
            }
            switch (c) {
                case 'y' -> out.append(run >= 3 ? String.format("%04d", date.getYear()) : String.format("%02d", date.getYear() % 100));
                case 'm' -> out.append(switch (run) {
                    case 1 -> Integer.toString(date.getMonthValue());
                    case 2 -> String.format("%02d", date.getMonthValue());
                    case 3 -> date.format(DateTimeFormatter.ofPattern("MMM", Locale.US));
                    default -> date.format(DateTimeFormatter.ofPattern("MMMM", Locale.US));
                });
                case 'd' -> out.append(switch (run) {
                    case 1 -> Integer.toString(date.getDayOfMonth());
                    case 2 -> String.format("%02d", date.getDayOfMonth());
                    case 3 -> date.format(DateTimeFormatter.ofPattern("EEE", Locale.US));
                    default -> date.format(DateTimeFormatter.ofPattern("EEEE", Locale.US));
                });
                default -> out.append(pattern, i, i + run);
            }
            i += run;
        }
        return out.toString();
    }

    static double serial(LocalDate date) {
        return date.toEpochDay() - EPOCH.toEpochDay();
    }

    /** What Sheets makes of text a user types (USER_ENTERED): formulas, numbers, currency, dates, booleans, text. */
    static Cell typed(String text) {
        if (text == null || text.isEmpty()) {
            return Cell.EMPTY;
        }
        if (text.startsWith("'")) {
            return Cell.text(text.substring(1));
        }
        if (text.startsWith("=")) {
            return new Cell("FORMULA", text, null, null, null);
        }
        String trimmed = text.trim();
        if (trimmed.equalsIgnoreCase("TRUE") || trimmed.equalsIgnoreCase("FALSE")) {
            return new Cell("BOOL", Boolean.parseBoolean(trimmed.toLowerCase(Locale.ROOT)), null, null, null);
        }
        Matcher number = NUMBER_TYPED.matcher(trimmed);
        if (number.matches() && !(number.group(3).isEmpty() && number.group(5) == null)) {
            double value = Double.parseDouble((number.group(1) + number.group(3).replace(",", "")
                    + (number.group(5) == null ? "" : number.group(5))).replace("+", ""));
            Cell cell = Cell.number(value);
            if (!number.group(2).isEmpty()) {
                return cell.withFormat("CURRENCY", "$#,##0.00");
            }
            return cell;
        }
        LocalDate date = parseDate(trimmed);
        if (date != null) {
            return Cell.number(serial(date)).withFormat("DATE", "M/d/yyyy");
        }
        return Cell.text(text);
    }

    private static LocalDate parseDate(String text) {
        try {
            Matcher us = US_DATE.matcher(text);
            if (us.matches()) {
                int year = Integer.parseInt(us.group(3));
                if (us.group(3).length() == 2) {
                    year += year < 30 ? 2000 : 1900;
                }
                return LocalDate.of(year, Integer.parseInt(us.group(1)), Integer.parseInt(us.group(2)));
            }
            Matcher iso = ISO_DATE.matcher(text);
            if (iso.matches()) {
                return LocalDate.of(Integer.parseInt(iso.group(1)), Integer.parseInt(iso.group(2)), Integer.parseInt(iso.group(3)));
            }
        } catch (java.time.DateTimeException e) {
            return null;
        }
        return null;
    }
}
