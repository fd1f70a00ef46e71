package io.receiptranger.sheets.sheets;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.sheets.config.SinkConfig;

/**
 * Which spreadsheet an owner's receipts go to: the one they connected themselves ({@code SpreadsheetConnected}
 * on owner-settings), then {@code RANGER_SHEETS_OWNERS} ({@code owner=id,…}, the operator's static seed), then
 * {@code GOOGLE_SHEETS_SPREADSHEET_ID} for everyone else; none = ledger only.
 */
@ApplicationScoped
public class SpreadsheetTargets {

    private final Map<String, String> byOwner;
    private final Optional<String> fallback;
    private final Function<String, Optional<String>> connected;
    private final boolean credentials;

    @Inject
    public SpreadsheetTargets(SinkConfig config, OwnerSpreadsheets connected) {
        this(parse(config.sheets().owners().orElse("")), config.sheets().spreadsheetId().map(String::trim).filter(s -> !s.isEmpty()),
                connected::forOwner, config.sheets().credentials().isPresent() || config.sheets().credentialsFile().isPresent());
    }

    public SpreadsheetTargets(Map<String, String> byOwner, Optional<String> fallback) {
        this(byOwner, fallback, owner -> Optional.empty(), false);
    }

    /**
     * @param connected the spreadsheet an owner connected themselves (owner-settings), which wins over the seed
     * @param credentials whether a service account is configured, so owners can connect sheets of their own
     */
    public SpreadsheetTargets(Map<String, String> byOwner, Optional<String> fallback,
            Function<String, Optional<String>> connected, boolean credentials) {
        this.byOwner = Map.copyOf(byOwner);
        this.fallback = fallback;
        this.connected = connected;
        this.credentials = credentials;
    }

    /** The owner's own spreadsheet (connected on the page), else the operator's seed, else the default one. */
    public Optional<String> forOwner(String owner) {
        Optional<String> own = connected.apply(owner);
        if (own.isPresent()) {
            return own;
        }
        String id = byOwner.get(owner);
        return id != null ? Optional.of(id) : fallback;
    }

    /** Whether any owner writes (or may connect a sheet to write) to Google Sheets. */
    public boolean any() {
        return fallback.isPresent() || !byOwner.isEmpty() || credentials;
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
