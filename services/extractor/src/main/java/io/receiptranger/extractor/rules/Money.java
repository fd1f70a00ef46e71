package io.receiptranger.extractor.rules;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * Money as {@link BigDecimal} with two places (the original's open bug 18): "25.5", "25.50", "$25.50",
 * "1,204.00" and "25" all become 25.50-style values; anything else is unknown.
 */
public final class Money {

    private Money() {
    }

    /** Parses a model or OCR amount; empty when blank or not a number. */
    public static Optional<BigDecimal> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim().replaceAll("[\\s$€£¥]|USD|EUR|GBP", "");
        if (s.matches("-?\\d{1,3}(,\\d{3})+(\\.\\d+)?")) {
            s = s.replace(",", "");
        } else if (s.matches("-?\\d+,\\d{2}")) {
            s = s.replace(',', '.');
        }
        if (!s.matches("-?\\d+(\\.\\d+)?|-?\\.\\d+")) {
            return Optional.empty();
        }
        return Optional.of(new BigDecimal(s).setScale(2, RoundingMode.HALF_UP));
    }

    /** Two places, for comparisons and output. */
    public static BigDecimal of(String plain) {
        return new BigDecimal(plain).setScale(2, RoundingMode.HALF_UP);
    }
}
