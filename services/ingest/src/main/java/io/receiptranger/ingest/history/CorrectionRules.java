package io.receiptranger.ingest.history;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What the owner may type into a correction, checked before anything is published: an amount that
 * is a number (2 places, 0 to a billion), a date not after today in the owner's time zone, a vendor
 * of at most 200 characters, one to three of the 23 categories (CONTRACT §2). The sink checks again.
 */
public final class CorrectionRules {

    /** The 23 canonical categories (SEED-SPEC §2.2), as in the contract's schema. */
    static final List<String> CATEGORIES = List.of(
            "Food & Restaurants", "Groceries", "Transportation", "Travel", "Lodging", "Utilities", "Housing & Rent",
            "Health & Medical", "Insurance", "Entertainment & Recreation", "Clothing & Shoes", "Electronics & Gadgets",
            "Home & Garden", "Office & Supplies", "Education", "Gifts & Donations", "Subscriptions & Memberships",
            "Fees & Services", "Taxes", "Childcare", "Pet Care", "Personal Care", "Other");

    private CorrectionRules() {
    }

    /** The values to send, normalised; {@link Refused} with the sentence to show otherwise. */
    static Corrections.Fields check(Corrections.Fields asked, String timeZone) {
        String amount = null;
        if (asked.amount() != null) {
            String cleaned = asked.amount().trim().replace(",", "");
            if (!cleaned.matches("[0-9]{1,10}(\\.[0-9]{1,2})?")) {
                throw new Refused("The amount \"" + shorten(asked.amount()) + "\" is not a number; write it like 25.50.");
            }
            BigDecimal a = new BigDecimal(cleaned).setScale(2, RoundingMode.UNNECESSARY);
            if (a.compareTo(new BigDecimal("1000000000")) >= 0) {
                throw new Refused("The amount must be less than 1,000,000,000.");
            }
            amount = a.toPlainString();
        }
        String date = null;
        if (asked.date() != null) {
            if (asked.date().isBlank()) {
                date = "";
            } else {
                LocalDate d;
                try {
                    d = LocalDate.parse(asked.date().trim());
                } catch (DateTimeParseException e) {
                    throw new Refused("The date \"" + shorten(asked.date()) + "\" is not a date; write it like 2026-01-20.");
                }
                if (d.isAfter(LocalDate.now(zone(timeZone)))) {
                    throw new Refused("The date " + d + " is in the future; a receipt's date is today or earlier.");
                }
                if (d.getYear() < 1900) {
                    throw new Refused("The date " + d + " is too far in the past.");
                }
                date = d.toString();
            }
        }
        String vendor = null;
        if (asked.vendor() != null) {
            vendor = asked.vendor().replaceAll("[\\p{Cntrl}\\p{Cf}]", " ").replaceAll("\\s+", " ").trim();
            if (vendor.isEmpty()) {
                throw new Refused("The vendor cannot be empty.");
            }
            if (vendor.length() > 200) {
                throw new Refused("The vendor is longer than 200 characters.");
            }
        }
        List<String> categories = null;
        if (asked.categories() != null) {
            categories = new ArrayList<>();
            for (String c : asked.categories()) {
                String label = canonical(c).orElseThrow(() -> new Refused("\"" + shorten(String.valueOf(c)) + "\" is not a category. Choose from: "
                        + String.join(", ", CATEGORIES) + "."));
                if (!categories.contains(label)) {
                    categories.add(label);
                }
            }
            if (categories.isEmpty() || categories.size() > 3) {
                throw new Refused("Choose one to three categories.");
            }
        }
        return new Corrections.Fields(amount, date, vendor, categories);
    }

    static Optional<String> canonical(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        return CATEGORIES.stream().filter(c -> c.toLowerCase(Locale.ROOT).equals(v)).findFirst();
    }

    private static ZoneId zone(String timeZone) {
        try {
            return timeZone == null || timeZone.isBlank() ? ZoneId.of("UTC") : ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            throw new Refused("The time zone \"" + shorten(timeZone) + "\" is not one we know, such as Europe/Paris.");
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    /** A value the owner typed wrong: a 400 with this sentence. */
    public static final class Refused extends RuntimeException {
        Refused(String sentence) {
            super(sentence);
        }
    }
}
