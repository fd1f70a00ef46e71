package io.receiptranger.extractor.rules;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The 23 canonical categories and the original's aliases (SEED-SPEC §2.2, §2.3.1). Key = trimmed,
 * lower-cased, whitespace collapsed; unknown non-blank → Other; blanks dropped; first-seen order kept.
 */
public final class Categories {

    /** Enum name → label, in the canonical order. */
    private static final Map<String, String> CANONICAL = new LinkedHashMap<>();
    private static final Map<String, String> LOOKUP = new LinkedHashMap<>();
    public static final String OTHER = "Other";

    static {
        String[][] table = {
                { "FOOD_RESTAURANTS", "Food & Restaurants" }, { "GROCERIES", "Groceries" },
                { "TRANSPORTATION", "Transportation" }, { "TRAVEL", "Travel" }, { "LODGING", "Lodging" },
                { "UTILITIES", "Utilities" }, { "HOUSING_RENT", "Housing & Rent" },
                { "HEALTH_MEDICAL", "Health & Medical" }, { "INSURANCE", "Insurance" },
                { "ENTERTAINMENT_RECREATION", "Entertainment & Recreation" },
                { "CLOTHING_SHOES", "Clothing & Shoes" }, { "ELECTRONICS_GADGETS", "Electronics & Gadgets" },
                { "HOME_GARDEN", "Home & Garden" }, { "OFFICE_SUPPLIES", "Office & Supplies" },
                { "EDUCATION", "Education" }, { "GIFTS_DONATIONS", "Gifts & Donations" },
                { "SUBSCRIPTIONS_MEMBERSHIPS", "Subscriptions & Memberships" },
                { "FEES_SERVICES", "Fees & Services" }, { "TAXES", "Taxes" }, { "CHILDCARE", "Childcare" },
                { "PET_CARE", "Pet Care" }, { "PERSONAL_CARE", "Personal Care" }, { "OTHER", "Other" } };
        for (String[] row : table) {
            CANONICAL.put(row[0], row[1]);
            LOOKUP.put(key(row[0]), row[1]);
            LOOKUP.put(key(row[1]), row[1]);
        }
        for (String alias : List.of("food/restaurants", "food and restaurants", "food & restaurants", "restaurants")) {
            LOOKUP.put(alias, "Food & Restaurants");
        }
        LOOKUP.put("clothing", "Clothing & Shoes");
        LOOKUP.put("clothes", "Clothing & Shoes");
        LOOKUP.put("entertainment", "Entertainment & Recreation");
        LOOKUP.put("housing", "Housing & Rent");
        LOOKUP.put("rent", "Housing & Rent");
    }

    private Categories() {
    }

    /** The 23 labels in canonical order. */
    public static List<String> labels() {
        return List.copyOf(CANONICAL.values());
    }

    /** One value → its label; {@code null} for blank input; "Other" for anything unknown. */
    public static String normalise(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        return LOOKUP.getOrDefault(key(value), OTHER);
    }

    /** Many values → labels, de-duplicated, first-seen order kept. */
    public static List<String> normalise(List<String> values) {
        if (values == null) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (String value : values) {
            String label = normalise(value);
            if (label != null) {
                out.add(label);
            }
        }
        return new ArrayList<>(out);
    }

    private static String key(String value) {
        return value.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }
}
