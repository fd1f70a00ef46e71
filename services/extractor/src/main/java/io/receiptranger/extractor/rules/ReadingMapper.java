package io.receiptranger.extractor.rules;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.receiptranger.extractor.ReceiptExtracted.Arithmetic;
import io.receiptranger.extractor.ReceiptExtracted.Outcome;
import io.receiptranger.extractor.ReceiptExtracted.Receipt;
import io.receiptranger.extractor.ai.ReceiptReading;

/**
 * Turns what the model (or OCR) read into the contract's receipt, trusting nothing: money as
 * BigDecimal with 2 places, 0 ≤ total ≤ ceiling, {@code subtotal + tax + tip = total} (± 0.01)
 * checked, categories mapped to the 23 labels, vendor cleaned, dates parsed and stored ISO with
 * future dates blanked, at most the last four card digits anywhere.
 */
public final class ReadingMapper {

    static final BigDecimal TOLERANCE = new BigDecimal("0.01");
    public static final String NO_TOTAL = "The total could not be read.";
    static final int MAX_VENDOR = 200;
    static final int MAX_PAYMENT_METHODS = 5;
    static final int MAX_PAYMENT_METHOD_LENGTH = 60;

    private ReadingMapper() {
    }

    /** The mapped result: outcome, reason (empty for EXTRACTED), the receipt (null unless read) and the arithmetic check. */
    public record Mapped(Outcome outcome, String reason, Receipt receipt, Arithmetic arithmetic) {
    }

    /**
     * Maps one reading. {@code criteriaGiven} is false when the user set no exclusion criteria: then
     * the model cannot exclude anything, whatever it says.
     */
    public static Mapped map(ReceiptReading reading, LocalDate today, boolean criteriaGiven, BigDecimal maxTotal) {
        if (!reading.isValidReceipt()) {
            String why = clean(reading.validationError(), 300);
            return new Mapped(Outcome.NOT_A_RECEIPT, why.isEmpty() ? "The image does not show a receipt." : why,
                    null, Arithmetic.UNKNOWN);
        }
        BigDecimal total = Money.parse(reading.total())
                .filter(t -> t.signum() >= 0 && t.compareTo(maxTotal) <= 0)
                .orElse(null);
        BigDecimal subtotal = nonNegative(reading.subtotal());
        BigDecimal tax = nonNegative(reading.tax());
        BigDecimal tip = nonNegative(reading.tip());
        Receipt receipt = new Receipt(total, subtotal, tax, tip, currency(reading.currency()),
                validDate(reading.date(), today).orElse(null), cleanVendor(reading.vendor()),
                Categories.normalise(reading.categories()), paymentMethods(reading.paymentMethods()),
                cardLast4(reading.cardLast4()));
        Arithmetic arithmetic = arithmetic(total, subtotal, tax, tip);
        if (reading.excludeFromTable() && criteriaGiven) {
            String why = clean(reading.exclusionReason(), 300);
            return new Mapped(Outcome.EXCLUDED, why.isEmpty() ? "Matched an exclusion criterion." : why, receipt,
                    arithmetic);
        }
        // A receipt without a readable total is still written (with the fields it has), and says why.
        String note = "";
        if (total == null) {
            note = clean(reading.validationError(), 300);
            if (note.isEmpty()) {
                note = NO_TOTAL;
            }
        }
        return new Mapped(Outcome.EXTRACTED, note, receipt, arithmetic);
    }

    /** The date if it parses and is not after today (in the submitter's zone); otherwise empty. */
    public static Optional<LocalDate> validDate(String text, LocalDate today) {
        return ReceiptDates.parse(text).filter(d -> !d.isAfter(today));
    }

    /** {@code subtotal + tax + tip = total} within a cent; UNKNOWN without a total and a subtotal. */
    public static Arithmetic arithmetic(BigDecimal total, BigDecimal subtotal, BigDecimal tax, BigDecimal tip) {
        if (total == null || subtotal == null) {
            return Arithmetic.UNKNOWN;
        }
        BigDecimal sum = subtotal.add(orZero(tax)).add(orZero(tip));
        return sum.subtract(total).abs().compareTo(TOLERANCE) <= 0 ? Arithmetic.OK : Arithmetic.MISMATCH;
    }

    /** Vendor as written, minus control characters, whitespace collapsed, trimmed, at most 200 characters. */
    public static String cleanVendor(String vendor) {
        return clean(vendor, MAX_VENDOR);
    }

    /** The last four digits of whatever card text was read, or null when fewer than four digits. */
    public static String cardLast4(String text) {
        if (text == null) {
            return null;
        }
        String digits = text.replaceAll("\\D", "");
        return digits.length() < 4 ? null : digits.substring(digits.length() - 4);
    }

    static List<String> paymentMethods(List<String> methods) {
        List<String> out = new ArrayList<>();
        if (methods == null) {
            return out;
        }
        for (String method : methods) {
            // A long digit run is a card number: keep its last four digits only.
            String cleaned = clean(method, MAX_PAYMENT_METHOD_LENGTH);
            if (cleaned.isEmpty()) {
                continue;
            }
            String masked = cleaned.replaceAll("\\d[\\d -]{3,}(\\d{4})", "ending $1");
            if (!out.contains(masked) && out.size() < MAX_PAYMENT_METHODS) {
                out.add(masked);
            }
        }
        return out;
    }

    static String currency(String text) {
        if (text == null) {
            return null;
        }
        String c = text.trim().toUpperCase(Locale.ROOT);
        if (c.equals("$")) {
            return "USD";
        }
        return c.matches("[A-Z]{3}") ? c : null;
    }

    /** Control characters (including Unicode format characters) out, whitespace collapsed, trimmed, bounded. */
    static String clean(String text, int max) {
        if (text == null) {
            return "";
        }
        String s = text.replaceAll("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]", " ").replaceAll("\\s+", " ").trim();
        if (s.length() > max) {
            s = s.substring(0, max).trim();
        }
        return s;
    }

    private static BigDecimal nonNegative(String text) {
        return Money.parse(text).filter(v -> v.signum() >= 0).orElse(null);
    }

    private static BigDecimal orZero(BigDecimal value) {
        return value == null ? BigDecimal.ZERO : value;
    }
}
