package io.receiptranger.sheets.sheets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.sheets.config.SinkConfig;

/**
 * Which spreadsheet an owner's receipts go to: {@code RANGER_SHEETS_OWNERS} ({@code owner=id,…})
 * first, then {@code GOOGLE_SHEETS_SPREADSHEET_ID} for everyone else; none = ledger only.
 */
@ApplicationScoped
public class SpreadsheetTargets {

    private final Map<String, String> byOwner;
    private final Optional<String> fallback;

    @Inject
    public SpreadsheetTargets(SinkConfig config) {
        this(parse(config.sheets().owners().orElse("")), config.sheets().spreadsheetId().map(String::trim).filter(s -> !s.isEmpty()));
    }

    public SpreadsheetTargets(Map<String, String> byOwner, Optional<String> fallback) {
        this.byOwner = Map.copyOf(byOwner);
        this.fallback = fallback;
    }

    public Optional<String> forOwner(String owner) {
        String id = byOwner.get(owner);
        return id != null ? Optional.of(id) : fallback;
    }

    /** Whether any owner writes to Google Sheets. */
    public boolean any() {
        return fallback.isPresent() || !byOwner.isEmpty();
    }

    public Map<String, String> owners() {
        return byOwner;
    }

    public Optional<String> fallback() {
        return fallback;
    }

    /** Parses {@code alice=1AbC,bob=2DeF}; blanks and entries without {@code =} are ignored. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && eq < pair.trim().length()) {
                String owner = pair.substring(0, eq).trim();
                String id = pair.substring(eq + 1).trim();
                if (!owner.isEmpty() && !id.isEmpty()) {
                    out.put(owner, id);
                }
            }
        }
        return out;
    }
}
