package io.receiptranger.extractor.ocr;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The currency from symbols and codes printed next to amounts: {@code RM}/{@code MYR} → MYR, {@code $}
 * → USD ({@code S$} SGD, {@code A$} AUD, {@code C$} CAD), {@code €}/{@code EUR}, {@code £}/{@code GBP},
 * {@code ¥}/{@code JPY}, {@code ₹}/{@code INR}, and the ISO codes themselves; the most frequent wins.
 * Null when none is printed.
 */
final class Currencies {

    private static final Pattern MARK = Pattern.compile(
            "(S\\$|A\\$|C\\$|\\$|€|£|¥|₹)|(?<![A-Z])(RM|MYR|USD|EUR|GBP|SGD|AUD|CAD|JPY|INR|CHF|THB|IDR|PHP|HKD|NZD)(?![A-Z])");
    private static final Map<String, String> CODES = Map.ofEntries(Map.entry("S$", "SGD"), Map.entry("A$", "AUD"),
            Map.entry("C$", "CAD"), Map.entry("$", "USD"), Map.entry("€", "EUR"), Map.entry("£", "GBP"),
            Map.entry("¥", "JPY"), Map.entry("₹", "INR"), Map.entry("RM", "MYR"));

    private Currencies() {
    }

    static String find(List<String> lines) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String line : lines) {
            Matcher m = MARK.matcher(Amounts.bounded(line).toUpperCase(Locale.ROOT));
            while (m.find()) {
                String mark = m.group(1) != null ? m.group(1) : m.group(2);
                counts.merge(CODES.getOrDefault(mark, mark), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }
}
