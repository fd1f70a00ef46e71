package io.receiptranger.extractor.ocr;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.receiptranger.extractor.ai.ReceiptReading;
import io.receiptranger.extractor.rules.Money;

/**
 * Reads a receipt from Tesseract's text with plain rules, into the same {@link ReceiptReading} the
 * model returns (so the same validation applies):
 * <ul>
 * <li>total = the amount on the last TOTAL line (not SUBTOTAL); when a TIP amount follows it and the
 * final TOTAL line has no readable amount, total = printed total + tip (the original's tip rule);</li>
 * <li>date = the first date in one of the formats receipts print (10/12/2026, 2026-09-28, 05 OCT 2025);</li>
 * <li>vendor = the first line that looks like a name (letters, not an address, a date or a number);</li>
 * <li>payment = Card when a card network or DEBIT/CREDIT line is present, Cash when CASH is; the last
 * four digits from "ending 1234" or masked numbers.</li>
 * </ul>
 */
public final class OcrRules {

    private static final String AMOUNT = "\\$?\\s*(-?\\d{1,6}(?:[.,]\\d{2}))\\b";
    private static final Pattern TOTAL_LINE = Pattern.compile("^\\W*(?:grand\\s+)?total\\b(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SUBTOTAL_LINE = Pattern.compile("^\\W*sub\\s*-?\\s*total\\b(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAX_LINE = Pattern.compile("^\\W*(?:sales\\s+)?tax\\b(.*)$", Pattern.CASE_INSENSITIVE);
    /** TIP, and what OCR makes of a handwritten one ("trp", "t1p"). */
    private static final Pattern TIP_LINE = Pattern.compile("^\\W*(?:tip|t[r1il|]p|gratuity)\\b(.*)$", Pattern.CASE_INSENSITIVE);
    private static final Pattern AMOUNT_AT_END = Pattern.compile(AMOUNT + "\\W*$");
    private static final Pattern US_DATE = Pattern.compile("\\b([0-9O@]{1,2})/([0-9O@]{1,2})/(\\d{4}|\\d{2})\\b");
    private static final Pattern ISO_DATE = Pattern.compile("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b");
    private static final Pattern TEXT_DATE = Pattern.compile(
            "\\b([0-9O@]{1,2})\\s+(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\\.?,?\\s+(\\d{4})\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern TEXT_DATE_US = Pattern.compile(
            "\\b(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*\\.?\\s+([0-9O@]{1,2}),?\\s+(\\d{4})\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("JAN", 1), Map.entry("FEB", 2),
            Map.entry("MAR", 3), Map.entry("APR", 4), Map.entry("MAY", 5), Map.entry("JUN", 6), Map.entry("JUL", 7),
            Map.entry("AUG", 8), Map.entry("SEP", 9), Map.entry("OCT", 10), Map.entry("NOV", 11), Map.entry("DEC", 12));
    private static final Pattern CARD = Pattern.compile("\\b(VISA|MASTERCARD|MASTER CARD|AMEX|AMERICAN EXPRESS|DISCOVER|DEBIT|CREDIT)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CASH = Pattern.compile("^\\W*CASH\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern LAST4 = Pattern.compile("(?:ending|end|x{2,}|\\*{2,}|#{2,})[\\s*#x]*(\\d{4})\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern NOT_A_NAME = Pattern.compile(
            "^\\W*(\\d|date|time|cashier|server|tel|phone|receipt|order|invoice|welcome|thank)", Pattern.CASE_INSENSITIVE);

    private OcrRules() {
    }

    /** A reading of the OCR text; not a valid receipt when no total can be found. */
    public static ReceiptReading read(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String total = total(lines).orElse("");
        if (total.isEmpty()) {
            return new ReceiptReading(false, "No receipt total could be read (offline OCR).", "", "", "", "", "", "", "",
                    List.of(), List.of(), "", false, "");
        }
        return new ReceiptReading(true, "", total, lineAmount(lines, SUBTOTAL_LINE).orElse(""),
                lineAmount(lines, TAX_LINE).orElse(""), tip(lines).orElse(""), "", date(lines).orElse(""),
                vendor(lines).orElse(""), List.of(), payment(lines), last4(lines).orElse(""), false, "");
    }

    static Optional<String> total(List<String> lines) {
        int lastWithAmount = -1;
        String amount = null;
        boolean laterTotalWithoutAmount = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (SUBTOTAL_LINE.matcher(line).find()) {
                continue;
            }
            Matcher m = TOTAL_LINE.matcher(line);
            if (m.find()) {
                Optional<String> a = amountAtEnd(m.group(1));
                if (a.isPresent()) {
                    lastWithAmount = i;
                    amount = a.get();
                    laterTotalWithoutAmount = false;
                } else if (lastWithAmount >= 0) {
                    laterTotalWithoutAmount = true;
                }
            }
        }
        if (amount == null) {
            return Optional.empty();
        }
        if (laterTotalWithoutAmount) {
            // A tip written under the printed total, with an unreadable (or missing) final total.
            Optional<String> tip = amountAfter(lines, lastWithAmount, TIP_LINE);
            if (tip.isPresent()) {
                return Optional.of(Money.of(amount).add(Money.of(tip.get())).toPlainString());
            }
        }
        return Optional.of(amount);
    }

    static Optional<String> tip(List<String> lines) {
        return lineAmount(lines, TIP_LINE);
    }

    private static Optional<String> amountAfter(List<String> lines, int index, Pattern pattern) {
        for (int i = index + 1; i < lines.size(); i++) {
            Matcher m = pattern.matcher(lines.get(i));
            if (m.find()) {
                Optional<String> a = amountAtEnd(m.group(1));
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> lineAmount(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            Matcher m = pattern.matcher(line);
            if (m.find()) {
                Optional<String> a = amountAtEnd(m.group(1));
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> amountAtEnd(String rest) {
        Matcher m = AMOUNT_AT_END.matcher(rest);
        if (!m.find()) {
            return Optional.empty();
        }
        return Money.parse(m.group(1)).map(v -> v.toPlainString());
    }

    static Optional<String> date(List<String> lines) {
        for (String line : lines) {
            Matcher m = ISO_DATE.matcher(line);
            if (m.find()) {
                return Optional.of(m.group(1) + "-" + m.group(2) + "-" + m.group(3));
            }
            m = US_DATE.matcher(line);
            if (m.find()) {
                return Optional.of(digits(m.group(1)) + "/" + digits(m.group(2)) + "/" + m.group(3));
            }
            m = TEXT_DATE.matcher(line);
            if (m.find()) {
                return Optional.of(MONTHS.get(m.group(2).substring(0, 3).toUpperCase(Locale.ROOT)) + "/"
                        + digits(m.group(1)) + "/" + m.group(3));
            }
            m = TEXT_DATE_US.matcher(line);
            if (m.find()) {
                return Optional.of(MONTHS.get(m.group(1).substring(0, 3).toUpperCase(Locale.ROOT)) + "/"
                        + digits(m.group(2)) + "/" + m.group(3));
            }
        }
        return Optional.empty();
    }

    /** OCR reads 0 as O or @ in dates. */
    private static String digits(String s) {
        return s.replace('O', '0').replace('o', '0').replace('@', '0');
    }

    static Optional<String> vendor(List<String> lines) {
        for (String line : lines.subList(0, Math.min(4, lines.size()))) {
            long letters = line.chars().filter(Character::isLetter).count();
            if (letters >= 3 && letters * 2 >= line.replace(" ", "").length() && !NOT_A_NAME.matcher(line).find()) {
                return Optional.of(line.replaceAll("[|_~]+", " ").replaceAll("\\s+", " ").trim());
            }
        }
        return Optional.empty();
    }

    static List<String> payment(List<String> lines) {
        List<String> methods = new ArrayList<>();
        for (String line : lines) {
            if (CARD.matcher(line).find() && !methods.contains("Card")) {
                methods.add("Card");
            }
            if (CASH.matcher(line).find() && !methods.contains("Cash")) {
                methods.add("Cash");
            }
        }
        return methods;
    }

    static Optional<String> last4(List<String> lines) {
        for (String line : lines) {
            if (CARD.matcher(line).find()) {
                Matcher m = LAST4.matcher(line);
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
