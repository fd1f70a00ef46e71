package io.receiptranger.ingest.settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one cheap call that tests a key before it is saved: a one-line chat completion to the user's
 * endpoint ({@code POST <baseUrl>/chat/completions}, {@code Authorization: Bearer <key>}), which proves
 * the key, the address and the model name together. The key goes only into that header: it is not
 * logged, and the sentences below never quote it (a provider's own message is redacted first).
 */
final class ModelEndpointCheck {

    private static final Pattern MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.){0,300})");

    private final HttpClient client;
    private final Duration timeout;
    private final ObjectMapper json;

    ModelEndpointCheck(Duration timeout, ObjectMapper json) {
        this.timeout = timeout;
        this.json = json;
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @throws SettingsRefused with what to do when the provider does not accept this key and model */
    void check(URI baseUrl, String model, String key) {
        ObjectNode body = json.createObjectNode().put("model", model);
        body.putArray("messages").addObject().put("role", "user").put("content", "Reply with the word OK.");
        HttpRequest request = HttpRequest.newBuilder(baseUrl.resolve("chat/completions"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
        String host = baseUrl.getHost();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (HttpTimeoutException e) {
            throw new SettingsRefused(422, "The model endpoint at " + host + " did not answer within "
                    + timeout.toSeconds() + " s. Check the base URL, or try again.");
        } catch (IOException e) {
            throw new SettingsRefused(422, "Could not reach a model endpoint at " + host
                    + " (" + e.getClass().getSimpleName() + "). Check the base URL.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsRefused(503, "The test call was interrupted. Try again.");
        }
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
            return;
        }
        String detail = Redaction.redact(providerMessage(response.body()), key);
        String lower = response.body() == null ? "" : response.body().toLowerCase(Locale.ROOT);
        if (status == 401 || status == 403) {
            throw new SettingsRefused(422, "The provider at " + host + " refused this key (HTTP " + status
                    + "). Check that you copied the whole key and that it is still active; it was not saved.");
        }
        if (lower.contains("insufficient_quota")) {
            throw new SettingsRefused(422, "The provider at " + host + " accepted the key but its account has no quota"
                    + " left (insufficient_quota). Check the plan and billing; the key was not saved.");
        }
        if (status == 404) {
            throw new SettingsRefused(422, "The provider at " + host + " has no model \"" + model
                    + "\" (HTTP 404), or the base URL is not an OpenAI-compatible API (it usually ends in /v1/)."
                    + " Check both; the key was not saved.");
        }
        if (status == 429) {
            throw new SettingsRefused(422, "The provider at " + host + " is rate limiting this key (HTTP 429). "
                    + "Try again in a minute; the key was not saved.");
        }
        if (status >= 500) {
            throw new SettingsRefused(502, "The provider at " + host + " failed (HTTP " + status
                    + "). Try again later; the key was not saved.");
        }
        throw new SettingsRefused(422, "The provider at " + host + " rejected the test call (HTTP " + status + ")"
                + (detail.isEmpty() ? "" : ": " + detail) + ". Check the model name; the key was not saved.");
    }

    private static String providerMessage(String body) {
        if (body == null) {
            return "";
        }
        Matcher m = MESSAGE.matcher(body);
        return m.find() ? m.group(1).replaceAll("\\s+", " ").trim() : "";
    }
}
