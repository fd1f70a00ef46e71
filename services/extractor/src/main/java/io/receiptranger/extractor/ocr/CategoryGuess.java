package io.receiptranger.extractor.ocr;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A category from what the receipt says: keywords of the vendor first (a hardware shop is Home &
 * Garden whatever it sold), then of the whole text (items). First match in table order wins; none →
 * no category (the mapper leaves the list empty). Labels are the canonical ones of {@code Categories}.
 */
final class CategoryGuess {

    private record Rule(String label, Pattern words) {
    }

    private static final List<Rule> RULES = List.of(
            rule("Gifts & Donations", "florist|flower|gift|donation|charity"),
            rule("Pet Care", "pet|veterinar|vet clinic|grooming|kibble"),
            rule("Health & Medical", "pharmacy|farmasi|clinic|klinik|hospital|medical|dental|drugs?|chemist"),
            rule("Personal Care", "cosway|elken|salon|beauty|barber|spa|cosmetic|watsons|guardian"),
            rule("Education", "school|learning|tuition|academy|college|university|course|education"),
            rule("Subscriptions & Memberships", "yoga|gym|fitness|membership|subscription|studio"),
            rule("Travel", "airline|airways|air\\b|flight|boarding|airport"),
            rule("Lodging", "hotel|motel|resort|inn\\b|lodge|hostel"),
            rule("Transportation", "parking|amano|petrol|petronas|shell|caltex|fuel|taxi|grab|toll|transport|gas station"),
            rule("Office & Supplies", "stationer|book|paper|office|printing|photocopy"),
            rule("Home & Garden", "hardware|electrical|furnish|furniture|ikano|ikea|nursery|garden|home|lighting|tiles"),
            rule("Fees & Services", "laundry|dry clean|repair|service|courier"),
            rule("Food & Restaurants", "restoran|restaurant|cafe|café|kitchen|confection|bakery|food|chicken|pizza|pizzeria|"
                    + "burger|sushi|mentai|scoop|coffee|diner|grill|nando|kfc|mcdonald|pho\\b|noodle|bistro|kopitiam|tea\\b|"
                    + "baskin|ice cream|banh mi|mamak|bar\\b"),
            rule("Groceries", "mart|market|grocer|supermarket|runcit|aeon|mynews|fresh|minimarket|7-eleven|tesco|giant|"
                    + "speedmart|hypermarket"),
            rule("Clothing & Shoes", "apparel|clothing|fashion|boutique|shoes|footwear"),
            rule("Electronics & Gadgets", "electronic|computer|mobile|gadget|digital"));

    private CategoryGuess() {
    }

    private static Rule rule(String label, String words) {
        return new Rule(label, Pattern.compile("\\b(?:" + words + ")", Pattern.CASE_INSENSITIVE));
    }

    static List<String> of(String vendor, List<String> lines) {
        if (vendor != null && !vendor.isBlank()) {
            String v = Amounts.bounded(vendor).toLowerCase(Locale.ROOT);
            for (Rule r : RULES) {
                if (r.words().matcher(v).find()) {
                    return List.of(r.label());
                }
            }
        }
        for (Rule r : RULES) {
            for (String line : lines) {
                if (r.words().matcher(Amounts.bounded(line)).find()) {
                    return List.of(r.label());
                }
            }
        }
        return List.of();
    }
}
