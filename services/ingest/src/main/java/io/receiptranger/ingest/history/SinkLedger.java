package io.receiptranger.ingest.history;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * The sheets-sink's view of one receipt ({@code GET /api/receipts/{id}?owner=}): the ledger entry and
 * its history of changes. Always asked for a given owner, so another owner's receipt is absent.
 */
@ApplicationScoped
public class SinkLedger {

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    private final String sinkUrl;
    private final Duration timeout;
    private final ObjectMapper json;

    public SinkLedger(IngestConfig config, ObjectMapper json) {
        this.sinkUrl = config.sinkUrl().replaceAll("/+$", "");
        this.timeout = config.sinkTimeout();
        this.json = json;
    }

    /** {@code {"receipt":{…},"history":[…],"pending":…}}, or empty when the owner has no such receipt. */
    public Optional<JsonNode> receipt(String receiptId, String owner) {
        URI uri = URI.create(sinkUrl + "/api/receipts/" + URLEncoder.encode(receiptId, StandardCharsets.UTF_8)
                + "?owner=" + URLEncoder.encode(owner, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return Optional.empty();
            }
            if (response.statusCode() != 200) {
                throw new Unavailable("The ledger service (sheets-sink) answered " + response.statusCode() + ". Try again shortly.");
            }
            return Optional.of(json.readTree(response.body()));
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unavailable("The ledger service (sheets-sink) did not answer in time. Try again shortly.");
        } catch (IOException e) {
            io.quarkus.logging.Log.warnf("Ledger service not reachable at %s: %s", sinkUrl, e.toString());
            throw new Unavailable("The ledger service (sheets-sink) is not reachable right now. Try again shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("The request was interrupted. Try again.");
        }
    }

    /** A change the sink has recorded: its entry in the receipt's history, and the receipt as it is now. */
    public record Settled(JsonNode entry, JsonNode receipt) {
    }

    /**
     * Asks the sink again (every 100 ms, at most {@code wait}) until the receipt's history holds the
     * change {@code changeId} and the receipt is {@code settled}; empty when it has not by then (the
     * change is still on its way: the caller answers 202). Corrections and re-reads both wait so.
     */
    public Optional<Settled> awaitChange(String owner, String receiptId, String changeId, Duration wait,
            java.util.function.Predicate<JsonNode> settled) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<JsonNode> now = receipt(receiptId, owner);
            if (now.isPresent()) {
                for (JsonNode h : now.get().path("history")) {
                    if (changeId.equals(h.path("correctionId").asText()) && settled.test(now.get().path("receipt"))) {
                        return Optional.of(new Settled(h, now.get().path("receipt")));
                    }
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Unavailable("The request was interrupted. Try again.");
            }
        }
        return Optional.empty();
    }

    /** The owner's receipts in {@code state} (REVIEW, FAILED, …) of one batch, from the sink's listing. */
    public java.util.List<JsonNode> list(String owner, String state, String batchId) {
        URI uri = URI.create(sinkUrl + "/api/receipts?owner=" + URLEncoder.encode(owner, StandardCharsets.UTF_8) + "&state="
                + URLEncoder.encode(state, StandardCharsets.UTF_8) + "&batchId=" + URLEncoder.encode(batchId, StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new Unavailable("The ledger service (sheets-sink) answered " + response.statusCode() + ". Try again shortly.");
            }
            java.util.List<JsonNode> out = new java.util.ArrayList<>();
            json.readTree(response.body()).forEach(out::add);
            return out;
        } catch (java.net.http.HttpTimeoutException e) {
            throw new Unavailable("The ledger service (sheets-sink) did not answer in time. Try again shortly.");
        } catch (IOException e) {
            throw new Unavailable("The ledger service (sheets-sink) is not reachable right now. Try again shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("The request was interrupted. Try again.");
        }
    }

    /** The sink could not be asked: a 503 with this sentence. */
    public static final class Unavailable extends RuntimeException {
        public Unavailable(String sentence) {
            super(sentence);
        }
    }
}
