package io.receiptranger.extractor.ocr;

import java.util.Set;

/**
 * How to read an ambiguous numeric date such as {@code 03/04/2018} (both numbers ≤ 12). An
 * unambiguous one ({@code 25/12/2018}, {@code 12/25/2018}) never needs this. Decided from the
 * submitter's time zone: a United States zone reads month first, any other named zone day first (as
 * most of the world writes dates). Without a zone (or UTC) the receipt's currency decides: US dollars
 * month first, any other currency day first, none month first (the original app's US order).
 */
public enum DateOrder {
    DAY_FIRST, MONTH_FIRST, UNKNOWN;

    private static final Set<String> US_ZONES = Set.of("America/New_York", "America/Chicago", "America/Denver",
            "America/Los_Angeles", "America/Phoenix", "America/Anchorage", "America/Adak", "America/Boise",
            "America/Detroit", "America/Juneau", "America/Metlakatla", "America/Nome", "America/Sitka",
            "America/Yakutat", "America/Menominee", "Pacific/Honolulu", "America/Puerto_Rico", "Pacific/Guam");

    /** From the submitter's IANA time zone; UNKNOWN when absent, UTC or unrecognised. */
    public static DateOrder forZone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return UNKNOWN;
        }
        String z = timeZone.trim();
        if (z.equals("UTC") || z.equals("GMT") || z.startsWith("Etc/") || !z.contains("/")) {
            return UNKNOWN;
        }
        if (US_ZONES.contains(z) || z.startsWith("US/") || z.startsWith("America/Indiana/")
                || z.startsWith("America/Kentucky/") || z.startsWith("America/North_Dakota/")) {
            return MONTH_FIRST;
        }
        return DAY_FIRST;
    }

    /** UNKNOWN resolved by the currency the receipt shows (ISO code, or null). */
    DateOrder orCurrency(String currency) {
        if (this != UNKNOWN) {
            return this;
        }
        return currency == null || currency.equals("USD") ? MONTH_FIRST : DAY_FIRST;
    }
}
