package io.receiptranger.sheets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The 23 canonical category labels and the aliases users type (SEED-SPEC §2.2, §2.3.1). */
public final class Categories {

    public static final List<String> LABELS = List.of(
            "Food & Restaurants", "Groceries", "Transportation", "Travel", "Lodging", "Utilities", "Housing & Rent",
            "Health & Medical", "Insurance", "Entertainment & Recreation", "Clothing & Shoes", "Electronics & Gadgets",
            "Home & Garden", "Office & Supplies", "Education", "Gifts & Donations", "Subscriptions & Memberships",
            "Fees & Services", "Taxes", "Childcare", "Pet Care", "Personal Care", "Other");

    private static final List<String> ENUMS = List.of(
            "FOOD_RESTAURANTS", "GROCERIES", "TRANSPORTATION", "TRAVEL", "LODGING", "UTILITIES", "HOUSING_RENT",
            "HEALTH_MEDICAL", "INSURANCE", "ENTERTAINMENT_RECREATION", "CLOTHING_SHOES", "ELECTRONICS_GADGETS",
            "HOME_GARDEN", "OFFICE_SUPPLIES", "EDUCATION", "GIFTS_DONATIONS", "SUBSCRIPTIONS_MEMBERSHIPS",
            "FEES_SERVICES", "TAXES", "CHILDCARE", "PET_CARE", "PERSONAL_CARE", "OTHER");

    private static final Map<String, String> LOOKUP = new LinkedHashMap<>();

    static {
        for (int i = 0; i < LABELS.size(); i++) {
            LOOKUP.put(ENUMS.get(i).toLowerCase(Locale.ROOT), LABELS.get(i));
            LOOKUP.put(LABELS.get(i).toLowerCase(Locale.ROOT), LABELS.get(i));
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

    /** The canonical label for a label, enum name or alias (case and spacing ignored); empty when unknown. */
    public static Optional<String> canonical(String value) {
        if (value == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(LOOKUP.get(value.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ")));
    }
}
