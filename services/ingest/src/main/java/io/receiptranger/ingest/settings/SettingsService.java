package io.receiptranger.ingest.settings;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * Bring your own key, bring your own sheet (CONTRACT §3, {@code /api/settings}): validates what a
 * user sends, tests a key with one call before it is saved, encrypts it, asks the sink whether it can
 * open a spreadsheet, and publishes the resulting fact on {@value SettingsEvent#TOPIC}. The clear key
 * lives only in this request's memory: it is neither logged nor kept.
 */
@ApplicationScoped
public class SettingsService {

    private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@+-]{1,100}");
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7e]{1,500}");

    /** What a user sends to save a key; {@link #toString()} never shows the key. */
    public record ModelKeyRequest(String baseUrl, String model, String apiKey) {
        @Override
        public String toString() {
            return "ModelKeyRequest[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=(hidden)]";
        }
    }

    /** What a user sends to connect a spreadsheet: its address or id. */
    public record SpreadsheetRequest(String spreadsheet) {
    }

    /** A connected spreadsheet as the page shows it. */
    public record Spreadsheet(String spreadsheetId, String title, String url, java.time.Instant connectedAt) {
        static Spreadsheet of(SettingsTopic.SpreadsheetView view) {
            return new Spreadsheet(view.spreadsheetId(), view.title(), SpreadsheetIds.url(view.spreadsheetId()),
                    view.connectedAt());
        }
    }

    /** {@code GET /api/settings}: the caller's settings; {@code null} parts are not set. */
    public record Settings(SettingsTopic.ModelKeyView modelKey, Spreadsheet spreadsheet, String serviceAccount,
            boolean keyStorage, boolean review) {
    }

    /** {@code PUT /api/settings/review}: {@code {"review": true}} holds the owner's receipts for review before writing. */
    public record ReviewRequest(Boolean review) {
    }

    private final SettingsTopic topic;
    private final IngestConfig.Settings config;
    private final Optional<KeyRing> keyRing;
    private final ModelEndpointCheck endpointCheck;
    private final SinkSpreadsheets sink;
    private final Duration ackTimeout;
    private final Clock clock = Clock.systemUTC();

    public SettingsService(SettingsTopic topic, IngestConfig config, ObjectMapper json) {
        this.topic = topic;
        this.config = config.settings();
        // A malformed ring fails startup with a sentence that names the entry, never its bytes.
        this.keyRing = config.keyEncryptionKeys().filter(s -> !s.isBlank()).map(KeyRing::parse);
        this.endpointCheck = new ModelEndpointCheck(config.settings().checkTimeout(), json);
        this.sink = new SinkSpreadsheets(config.sinkUrl(), config.sinkTimeout(), json);
        this.ackTimeout = config.upload().kafkaAckTimeout();
        if (keyRing.isEmpty()) {
            Log.info("RANGER_KEY_ENCRYPTION_KEYS is not set: users cannot save their own model keys");
        }
    }

    public Settings get(String owner) {
        return new Settings(topic.modelKey(owner).orElse(null),
                topic.spreadsheet(owner).map(Spreadsheet::of).orElse(null),
                sink.serviceAccount().orElse(null), keyRing.isPresent(), topic.reviews(owner));
    }

    /** Turns "review before writing" on or off for the owner (a fact on owner-settings every sink replica reads). */
    public boolean saveReview(String owner, ReviewRequest request) {
        if (request == null || request.review() == null) {
            throw new SettingsRefused(400, "Say whether to review receipts before they are written: {\"review\": true} or {\"review\": false}.");
        }
        publish(new SettingsEvent.ReviewSettingSaved(owner, request.review(), clock.instant()));
        Log.infof("owner %s turned review before writing %s", owner, request.review() ? "on" : "off");
        return topic.reviews(owner);
    }

    public SettingsTopic.ModelKeyView saveModelKey(String owner, ModelKeyRequest request) {
        if (request == null || request.apiKey() == null || request.apiKey().isBlank()) {
            throw new SettingsRefused(400, "Send the key as JSON: {\"apiKey\": \"…\", \"baseUrl\": \"…\" (optional), "
                    + "\"model\": \"…\" (optional)}.");
        }
        String key = request.apiKey().strip();
        if (!KEY.matcher(key).matches()) {
            throw new SettingsRefused(400, "That does not look like an API key: it must be 1-500 printable characters"
                    + " without spaces.");
        }
        URI baseUrl = baseUrl(request.baseUrl());
        String model = request.model() == null || request.model().isBlank() ? config.defaultModel() : request.model().strip();
        if (!MODEL.matcher(model).matches()) {
            throw new SettingsRefused(400, "The model name must be 1-100 characters of letters, digits and . _ : / @ + -.");
        }
        KeyRing ring = keyRing.orElseThrow(() -> new SettingsRefused(503, "This deployment cannot store model keys yet:"
                + " the operator has not set RANGER_KEY_ENCRYPTION_KEYS."));
        endpointCheck.check(baseUrl, model, key);
        SettingsEvent.ModelKeySaved saved = new SettingsEvent.ModelKeySaved(owner, baseUrl.toString(), model,
                ring.encrypt(owner, key), KeyHint.of(key), clock.instant());
        publish(saved);
        Log.infof("owner %s saved a model key for %s (model %s, encrypted with %s)", owner, baseUrl.getHost(), model,
                saved.encryptedKey().kid());
        return topic.modelKey(owner).orElseThrow();
    }

    public void deleteModelKey(String owner) {
        publish(new SettingsEvent.ModelKeyDeleted(owner, clock.instant()));
        Log.infof("owner %s deleted their model key", owner);
    }

    public Spreadsheet connect(String owner, SpreadsheetRequest request) {
        String pasted = request == null ? null : request.spreadsheet();
        String id = SpreadsheetIds.parse(pasted).orElseThrow(() -> new SettingsRefused(400,
                "That is not a Google Sheets address or spreadsheet id. Open the spreadsheet and paste its address"
                        + " (https://docs.google.com/spreadsheets/d/…/edit)."));
        SinkSpreadsheets.Opened opened = sink.check(owner, id);
        publish(new SettingsEvent.SpreadsheetConnected(owner, id, opened.title(), clock.instant()));
        Log.infof("owner %s connected spreadsheet %s", owner, id);
        return topic.spreadsheet(owner).map(Spreadsheet::of).orElseThrow();
    }

    public void disconnect(String owner) {
        publish(new SettingsEvent.SpreadsheetDisconnected(owner, clock.instant()));
        Log.infof("owner %s disconnected their spreadsheet", owner);
    }

    private void publish(SettingsEvent event) {
        try {
            topic.publish(event, ackTimeout);
        } catch (RuntimeException e) {
            Log.warnf("could not publish %s for owner %s: %s", event.getClass().getSimpleName(), event.owner(),
                    e.getClass().getSimpleName());
            throw new SettingsRefused(503, "The settings could not be stored right now (Kafka did not acknowledge)."
                    + " Try again shortly.");
        }
    }

    private URI baseUrl(String given) {
        String text = given == null || given.isBlank() ? config.defaultBaseUrl() : given.strip();
        URI uri;
        try {
            uri = new URI(text.endsWith("/") ? text : text + "/");
        } catch (Exception e) {
            throw new SettingsRefused(400, "The base URL is not a web address (for example https://api.openai.com/v1/).");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean httpAllowed = scheme.equals("https") || (scheme.equals("http") && config.allowPlainHttp());
        if (text.length() > 300 || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null
                || uri.getRawFragment() != null || !httpAllowed) {
            throw new SettingsRefused(400, "The base URL must be an https:// address without user, query or fragment,"
                    + " such as https://api.openai.com/v1/" + (config.allowPlainHttp() ? " (http:// is allowed here)." : "."));
        }
        return uri;
    }
}
