package io.receiptranger.extractor.ocr;

import java.math.BigDecimal;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.receiptranger.extractor.ai.ReceiptReading;

/**
 * Reads a receipt from OCR lines with plain rules, into the same {@link ReceiptReading} the model
 * returns (so the same validation applies): total {@link ReceiptTotal}, date {@link PrintedDate}
 * (written ISO, so the mapper never re-guesses its order), vendor {@link VendorLine}, currency
 * {@link Currencies}, category {@link CategoryGuess}; subtotal/tax/tip from their lines; payment
 * Card when a card network or DEBIT/CREDIT line is present, Cash when CASH is; the last four digits
 * from "ending 1234" or masked numbers.
 *
 * <p>A text with no readable total is still a receipt, with the fields it has and a reason, when it
 * looks like one (a date, or at least {@value #RECEIPT_EVIDENCE} receipt words or amounts), or when the
 * picture holds a printed page's worth of text: at least {@value #DOCUMENT_LINES} lines, even unreadable
 * ones (a receipt read badly, e.g. turned the wrong way, must not vanish from the owner's sheet). Only a
 * picture with none of that — a photo, a chart with a few labels — is "not a receipt".
 */
public final class OcrRules {

    public static final String NO_TOTAL = "The total could not be read (offline OCR); the other fields are as read.";
    public static final String NOT_A_RECEIPT = "No receipt could be read in this picture (offline OCR: no total, date or receipt lines).";
    static final int RECEIPT_EVIDENCE = 3;
    /** Lines of text that make a picture a document: receipts print 20–80, the sample photo and chart 1 and 8. */
    static final int DOCUMENT_LINES = 12;

    private static final Pattern SUBTOTAL_LINE = Pattern.compile("^\\W{0,5}sub\\s?-?\\s?total\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAX_LINE = Pattern.compile("^\\W{0,5}(?:sales\\s)?(?:tax|gst|vat|sst)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern RECEIPT_WORD = Pattern.compile(
            "\\b(total|subtotal|cash|change|tax|gst|vat|invoice|receipt|qty|amount|visa|mastercard|debit|paid|rm)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CARD = Pattern.compile("\\b(VISA|MASTERCARD|MASTER CARD|AMEX|AMERICAN EXPRESS|DISCOVER|DEBIT|CREDIT)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern CASH = Pattern.compile("^\\W{0,5}CASH\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern LAST4 = Pattern.compile("(?:ending|end|x{2,8}|\\*{2,8}|#{2,8})[\\s*#x]{0,20}(\\d{4})\\b",
            Pattern.CASE_INSENSITIVE);

    private OcrRules() {
    }

    /** Plain text (one line per line), dates in the order {@code order}; today bounds the date. */
    public static ReceiptReading read(String text, DateOrder order, LocalDate today) {
        return read(text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList(), order, today);
    }

    public static ReceiptReading read(List<String> ocrLines, DateOrder order, LocalDate today) {
        // Full-width brackets and digits (（126926-H）) as their ASCII forms.
        List<String> lines = ocrLines.stream().map(l -> Normalizer.normalize(l, Normalizer.Form.NFKC)).toList();
        Optional<BigDecimal> total = ReceiptTotal.find(lines);
        String currency = Currencies.find(lines);
        Optional<LocalDate> date = PrintedDate.find(lines, order.orCurrency(currency), today);
        if (total.isEmpty() && !looksLikeAReceipt(lines, date.isPresent())) {
            return new ReceiptReading(false, NOT_A_RECEIPT, "", "", "", "", "", "", "", List.of(), List.of(), "", false, "");
        }
        String vendor = VendorLine.find(lines).orElse("");
        return new ReceiptReading(true, total.isPresent() ? "" : NO_TOTAL, total.map(BigDecimal::toPlainString).orElse(""),
                lineAmount(lines, SUBTOTAL_LINE), lineAmount(lines, TAX_LINE),
                ReceiptTotal.tip(lines).map(BigDecimal::toPlainString).orElse(""), currency == null ? "" : currency,
                date.map(LocalDate::toString).orElse(""), vendor, CategoryGuess.of(vendor, lines), payment(lines),
                last4(lines).orElse(""), false, "");
    }

    static boolean looksLikeAReceipt(List<String> lines, boolean dated) {
        if (lines.size() >= DOCUMENT_LINES) {
            return true;
        }
        int evidence = dated ? 2 : 0;
        for (String line : lines) {
            String l = Amounts.bounded(line);
            if (RECEIPT_WORD.matcher(l).find() || !Amounts.in(l).isEmpty()) {
                evidence++;
            }
        }
        return evidence >= RECEIPT_EVIDENCE;
    }

    private static String lineAmount(List<String> lines, Pattern pattern) {
        for (String line : lines) {
            if (pattern.matcher(line).find()) {
                BigDecimal a = Amounts.last(line);
                if (a != null) {
                    return a.toPlainString();
                }
            }
        }
        return "";
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
                Matcher m = LAST4.matcher(Amounts.bounded(line));
                if (m.find()) {
                    return Optional.of(m.group(1));
                }
            }
        }
        return Optional.empty();
    }
}
