package io.receiptranger.extractor.ocr;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.receiptranger.extractor.rules.Money;

/**
 * Money amounts in one OCR line: {@code 15.90}, {@code RM 7,838.80}, {@code $14.99}, {@code 1,50SR}
 * (a decimal comma, a tax code glued on), {@code RM0. 94} and {@code 7O.30} (OCR's stray space and
 * O for 0). Always two decimals: a bare {@code 12} is a quantity, not money. Linear patterns only.
 */
final class Amounts {

    /** Longest line looked at: OCR lines are short; a longer one is noise and is cut. */
    static final int MAX_LINE = 200;
    /** {@code RM 62-00}: a dash read for the decimal point, after a currency mark only. */
    private static final Pattern DASH_POINT = Pattern.compile("(RM|MYR|\\$) ?(\\d{1,7})-(\\d{2})(?!\\d)");
    private static final Pattern STRAY_SPACE = Pattern.compile("(\\d) ?([.,]) ?(\\d{2})(?!\\d)");
    private static final Pattern AMOUNT = Pattern.compile("(?<![\\d.,])(-?)(\\d{1,3}(?:,\\d{3}){1,3}|\\d{1,7})[.,](\\d{2})(?!\\d)");

    private Amounts() {
    }

    /** Every amount of the line, left to right. */
    static List<BigDecimal> in(String line) {
        String s = digits(bounded(line));
        s = STRAY_SPACE.matcher(s).replaceAll("$1$2$3");
        s = DASH_POINT.matcher(s).replaceAll("$1$2.$3");
        List<BigDecimal> out = new ArrayList<>();
        Matcher m = AMOUNT.matcher(s);
        while (m.find()) {
            String whole = m.group(2).replace(",", "");
            Money.parse(m.group(1) + whole + "." + m.group(3)).ifPresent(out::add);
        }
        return out;
    }

    /** The last amount of the line (where receipts print the money), if any. */
    static BigDecimal last(String line) {
        List<BigDecimal> all = in(line);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    static String bounded(String line) {
        return line.length() > MAX_LINE ? line.substring(0, MAX_LINE) : line;
    }

    /** O/o next to a digit or a decimal point is a zero ({@code RMO.94}, {@code 7O.30}, {@code 1.O0}). */
    static String digits(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (c[i] == 'O' || c[i] == 'o') {
                boolean before = i > 0 && (Character.isDigit(c[i - 1]) || c[i - 1] == '.');
                boolean after = i + 1 < c.length && (Character.isDigit(c[i + 1]) || c[i + 1] == '.');
                boolean afterAfter = i + 2 < c.length && (Character.isDigit(c[i + 2])
                        || (c[i + 2] == ' ' && i + 3 < c.length && Character.isDigit(c[i + 3])));
                if (before || (after && (Character.isDigit(c[i + 1]) || afterAfter))) {
                    c[i] = '0';
                }
            }
        }
        return new String(c);
    }
}
