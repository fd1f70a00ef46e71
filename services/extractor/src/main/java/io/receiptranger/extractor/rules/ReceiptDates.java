package io.receiptranger.extractor.rules;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Date rules of SEED-SPEC §2.3.4: accepted formats {@code M/D/YYYY} (zero padding optional), then
 * {@code YYYY-MM-DD}, then {@code M/D/YY} with Python's pivot (00–68 → 20xx, 69–99 → 19xx); a date
 * strictly after today in the submitter's time zone is not a receipt date (gap G11).
 */
public final class ReceiptDates {

    private static final Pattern US = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{4})");
    private static final Pattern ISO = Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})");
    private static final Pattern US_SHORT = Pattern.compile("(\\d{1,2})/(\\d{1,2})/(\\d{2})");
    private static final DateTimeFormatter PROMPT_FORMAT = DateTimeFormatter.ofPattern("MM/dd/yyyy");

    private ReceiptDates() {
    }

    /** Parses one of the accepted formats; empty for blank or unparseable text. */
    public static Optional<LocalDate> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        String s = text.trim();
        try {
            Matcher m = US.matcher(s);
            if (m.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(3)), Integer.parseInt(m.group(1)),
                        Integer.parseInt(m.group(2))));
            }
            m = ISO.matcher(s);
            if (m.matches()) {
                return Optional.of(LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3))));
            }
            m = US_SHORT.matcher(s);
            if (m.matches()) {
                int yy = Integer.parseInt(m.group(3));
                int year = yy <= 68 ? 2000 + yy : 1900 + yy;
                return Optional.of(LocalDate.of(year, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
            }
        } catch (DateTimeException e) {
            // 02/30/2026 and friends: not a date.
        }
        return Optional.empty();
    }

    /** True when the text parses to a date strictly after {@code today}. */
    public static boolean isFuture(String text, LocalDate today) {
        return parse(text).map(d -> d.isAfter(today)).orElse(false);
    }

    /** The submitter's zone, UTC when absent or unknown. */
    public static ZoneId zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timeZone.trim());
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    /** Today as the prompt states it: {@code MM/DD/YYYY}. */
    public static String forPrompt(LocalDate today) {
        return PROMPT_FORMAT.format(today);
    }
}
