package io.receiptranger.ingest.settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;

/**
 * Asks the sheets-sink, over its internal API, whether it can open a spreadsheet
 * ({@code POST /internal/spreadsheets/check}) and which service account users share their sheets with.
 * The owner sent along is the verified one ({@code CurrentOwner}); the sink is never reached from outside.
 */
final class SinkSpreadsheets {

    /** An opened spreadsheet. */
    record Opened(String title, String serviceAccount) {
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String sinkUrl;
    private final Duration timeout;
    private final ObjectMapper json;

    SinkSpreadsheets(String sinkUrl, Duration timeout, ObjectMapper json) {
        this.sinkUrl = sinkUrl.replaceAll("/+$", "");
        this.timeout = timeout;
        this.json = json;
    }

    /** @throws SettingsRefused with the sink's sentence (not shared, not found, no service account) */
    Opened check(String owner, String spreadsheetId) {
        String body = json.createObjectNode().put("owner", owner).put("spreadsheetId", spreadsheetId).toString();
        HttpRequest request = HttpRequest.newBuilder(URI.create(sinkUrl + "/internal/spreadsheets/check"))
                .timeout(timeout).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        JsonNode answer;
        int status;
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            status = response.statusCode();
            answer = json.readTree(response.body() == null || response.body().isEmpty() ? "{}" : response.body());
        } catch (HttpTimeoutException e) {
            throw new SettingsRefused(504, "The sheets service did not answer within " + timeout.toSeconds()
                    + " s. Try again shortly.");
        } catch (IOException e) {
            Log.warnf("sheets-sink not reachable at %s for a spreadsheet check: %s", sinkUrl, e.getClass().getSimpleName());
            throw new SettingsRefused(503, "The sheets service is not reachable right now. Try again shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsRefused(503, "The request was interrupted. Try again.");
        }
        if (status == 200) {
            return new Opened(answer.path("title").asText(""), answer.path("serviceAccount").asText(""));
        }
        String detail = answer.path("detail").asText("");
        if (status >= 400 && status < 500 && !detail.isEmpty()) {
            throw new SettingsRefused(status == 409 ? 409 : 422, detail);
        }
        throw new SettingsRefused(502, "The sheets service could not check the spreadsheet (HTTP " + status
                + "). Try again shortly.");
    }

    /** The service account's e-mail, when the sink has one and answers. */
    Optional<String> serviceAccount() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(sinkUrl + "/internal/spreadsheets/service-account"))
                .timeout(timeout).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.empty();
            }
            String email = json.readTree(response.body()).path("email").asText("");
            return email.isEmpty() ? Optional.empty() : Optional.of(email);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
