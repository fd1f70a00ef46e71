package io.receiptranger.sheets.corrections;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

import io.receiptranger.sheets.Categories;
import io.receiptranger.sheets.Correction;
import io.receiptranger.sheets.Normalize;

/**
 * What a corrected receipt may hold, checked again by the sink whatever the producer checked: an
 * amount that is a number (2 places, at most a billion), an ISO date not after tomorrow (UTC: the
 * producer checks the owner's own "today"), a vendor, and one to three of the 23 categories.
 * Returns the normalised values, or throws with the sentence the owner reads.
 */
final class CorrectionRules {

    static final BigDecimal MAX_AMOUNT = new BigDecimal("1000000000");
    static final int MAX_VENDOR = 200;

    private CorrectionRules() {
    }

    static Correction.Fields check(Correction.Fields f, LocalDate today) {
        String amount = null;
        if (f.amount() != null) {
            BigDecimal a = Normalize.money(f.amount()).orElseThrow(() -> new Refused(
                    "The amount \"" + f.amount() + "\" is not a number; write it like 25.50."));
            if (a.signum() < 0 || a.compareTo(MAX_AMOUNT) >= 0) {
                throw new Refused("The amount must be between 0 and 1,000,000,000, not " + a.toPlainString() + ".");
            }
            amount = a.toPlainString();
        }
        String date = null;
        if (f.date() != null && !f.date().isBlank()) {
            LocalDate d;
            try {
                d = LocalDate.parse(f.date().trim());
            } catch (DateTimeParseException e) {
                throw new Refused("The date \"" + f.date() + "\" is not a date; write it like 2026-01-20.");
            }
            if (d.isAfter(today.plusDays(1))) {
                throw new Refused("The date " + d + " is in the future; a receipt's date is today or earlier.");
            }
            if (d.getYear() < 1900) {
                throw new Refused("The date " + d + " is too far in the past.");
            }
            date = d.toString();
        }
        String vendor = f.vendor() == null ? null : f.vendor().replaceAll("[\\p{Cntrl}\\p{Cf}]", " ").replaceAll("\\s+", " ").trim();
        if (vendor != null && vendor.length() > MAX_VENDOR) {
            throw new Refused("The vendor is longer than " + MAX_VENDOR + " characters.");
        }
        List<String> categories = new ArrayList<>();
        for (String c : f.categories()) {
            String label = Categories.canonical(c).orElseThrow(() -> new Refused(
                    "\"" + c + "\" is not a category. Choose from: " + String.join(", ", Categories.LABELS) + "."));
            if (!categories.contains(label)) {
                categories.add(label);
            }
        }
        if (categories.size() > 3) {
            throw new Refused("A receipt has at most three categories.");
        }
        return new Correction.Fields(amount, date, vendor == null || vendor.isEmpty() ? null : vendor, categories);
    }

    /** A correction the sink will not apply, with the sentence the owner reads. */
    static final class Refused extends RuntimeException {
        Refused(String sentence) {
            super(sentence);
        }
    }
}
