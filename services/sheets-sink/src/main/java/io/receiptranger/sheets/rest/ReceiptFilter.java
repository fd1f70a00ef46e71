package io.receiptranger.sheets.rest;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;

import io.receiptranger.sheets.Categories;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;

/**
 * The original CLI's table filters (SEED-SPEC §6.1): month {@code YYYY-MM} (undated receipts never
 * match), vendor substring (case-insensitive), inclusive min/max amount (a receipt without an amount
 * never matches a bound), category by label, enum name or alias. Invalid values are the caller's
 * error, with a sentence saying why.
 */
public record ReceiptFilter(Optional<YearMonth> month, Optional<String> vendor, Optional<BigDecimal> minAmount,
        Optional<BigDecimal> maxAmount, Optional<String> category, Optional<String> owner) implements Predicate<LedgerEntry> {

    public static ReceiptFilter parse(String month, String vendor, String minAmount, String maxAmount, String category, String owner) {
        return new ReceiptFilter(month(month), blankToEmpty(vendor).map(v -> v.toLowerCase(Locale.ROOT)),
                amount("minAmount", minAmount), amount("maxAmount", maxAmount), category(category), blankToEmpty(owner));
    }

    @Override
    public boolean test(LedgerEntry e) {
        if (!e.inTable()) {
            return false;
        }
        if (owner.isPresent() && !owner.get().equals(e.owner())) {
            return false;
        }
        if (month.isPresent()) {
            if (e.date() == null || !Normalize.date(e.date()).map(YearMonth::from).equals(month)) {
                return false;
            }
        }
        if (vendor.isPresent() && (e.vendor() == null || !e.vendor().toLowerCase(Locale.ROOT).contains(vendor.get()))) {
            return false;
        }
        Optional<BigDecimal> amount = Normalize.money(e.amount());
        if (minAmount.isPresent() && (amount.isEmpty() || amount.get().compareTo(minAmount.get()) < 0)) {
            return false;
        }
        if (maxAmount.isPresent() && (amount.isEmpty() || amount.get().compareTo(maxAmount.get()) > 0)) {
            return false;
        }
        return category.isEmpty() || (e.categories() != null
                && e.categories().stream().map(c -> Categories.canonical(c).orElse(c)).anyMatch(category.get()::equals));
    }

    static Optional<YearMonth> month(String value) {
        return blankToEmpty(value).map(v -> {
            try {
                return YearMonth.parse(v);
            } catch (DateTimeParseException e) {
                throw new BadFilterException("month must look like 2026-01 (year and month), not \"" + v + "\"");
            }
        });
    }

    private static Optional<BigDecimal> amount(String name, String value) {
        return blankToEmpty(value).map(v -> {
            if (!Normalize.plainAmount(v.trim())) {
                String shown = v.length() > 24 ? v.substring(0, 24) + "…" : v;
                throw new BadFilterException(name + " must be a number such as 25.50, not \"" + shown + "\"");
            }
            return new BigDecimal(v.trim());
        });
    }

    private static Optional<String> category(String value) {
        return blankToEmpty(value).map(v -> Categories.canonical(v).orElseThrow(() -> new BadFilterException(
                "Invalid category: " + v + ". Choose from: " + String.join(", ", Categories.LABELS))));
    }

    private static Optional<String> blankToEmpty(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    /** A filter value a person typed wrong: answered 400 with this sentence. */
    public static class BadFilterException extends RuntimeException {
        public BadFilterException(String message) {
            super(message);
        }
    }
}
