package io.receiptranger.cli.ingest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The ingest's public API as the CLI uses it (CONTRACT.md §3): uploads, the hash lookup, the
 * ledger's reports and the progress WebSocket. Every way of not getting an answer becomes an
 * {@link IngestException} with a sentence that says what to do; a personal API token travels as
 * {@code Authorization: Bearer} and is never printed.
 */
public class IngestClient {

    public static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    /** How the CLI introduces itself; the ingest records such uploads with {@code source: cli}. */
    public static final String USER_AGENT = "receipt-ranger-cli/" + version();
    /** The ingest's cap per lookup (CONTRACT.md §3). */
    public static final int LOOKUP_SLICE = 1000;

    private final URI base;
    private final Optional<String> token;
    private final Duration timeout;
    private final HttpClient http;

    public IngestClient(URI base, Optional<String> token, Duration timeout) {
        this.base = base;
        this.token = token.filter(t -> !t.isBlank()).map(String::trim);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** The address as the user typed it, for sentences. */
    private String where() {
        String b = base.toString();
        return b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }

    /** One accepted file of an upload; {@code duplicateOf} names an identical earlier file of the same batch. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Accepted(String receiptId, String fileName, String duplicateOf) {
    }

    /** One file the ingest refused (413, 415, 422) and why. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Rejected(String fileName, int status, String error) {
    }

    /** The answer to an upload: a batch to follow (null when every file was rejected). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Upload(String batchId, List<Accepted> accepted, List<Rejected> rejected, String progress) {
        public Upload {
            accepted = accepted == null ? List.of() : accepted;
            rejected = rejected == null ? List.of() : rejected;
        }
    }

    /** A photo the owner's ledger already knows, and how its receipt ended. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Known(String sha256, String receiptId, String state, String fileName, String detail) {
    }

    /** The ingest asks to come back later (429 with {@code Retry-After}, or 503): the upload may be retried as it is. */
    public static class RetryLater extends Exception {
        private final Duration after;

        RetryLater(String message, Duration after) {
            super(message, null, false, false);
            this.after = after;
        }

        public Duration after() {
            return after;
        }
    }

    /** The file to send and the name the ingest should record for it. */
    public record Part(String fileName, java.nio.file.Path path) {
    }

    /** {@code POST /api/batches}: at most 20 files; a 422 (every file rejected) is an answer, not an error. */
    public Upload upload(List<Part> files, String exclusionCriteria, String timeZone) throws RetryLater {
        Multipart form = new Multipart();
        try {
            for (Part part : files) {
                form.file("files", part.fileName(), part.path());
            }
        } catch (java.io.FileNotFoundException e) {
            throw new IngestException("Cannot read " + e.getMessage(), 1, 0);
        }
        if (exclusionCriteria != null && !exclusionCriteria.isBlank()) {
            form.field("exclusionCriteria", exclusionCriteria);
        }
        if (timeZone != null) {
            form.field("timeZone", timeZone);
        }
        HttpResponse<String> response = send(request("/api/batches").header("Content-Type", form.contentType())
                .timeout(timeout.plus(Duration.ofSeconds(60))).POST(form.body()));
        int status = response.statusCode();
        if (status == 202 || status == 422) {
            return read(response, Upload.class);
        }
        if (status == 429 || status == 503) {
            Duration after = response.headers().firstValue("Retry-After").flatMap(IngestClient::seconds).orElse(Duration.ofSeconds(5));
            throw new RetryLater(detail(response).orElse("the ingest is busy"), after);
        }
        throw refusal(response);
    }

    /** {@code POST /api/receipts/lookup}: the photos among {@code hashes} the caller's ledger already knows, by hash. */
    public Map<String, Known> lookup(List<String> hashes) {
        Map<String, Known> known = new LinkedHashMap<>();
        for (int from = 0; from < hashes.size(); from += LOOKUP_SLICE) {
            List<String> slice = hashes.subList(from, Math.min(hashes.size(), from + LOOKUP_SLICE));
            String body;
            try {
                body = JSON.writeValueAsString(Map.of("sha256", slice));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            HttpResponse<String> response = send(request("/api/receipts/lookup").header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)));
            if (response.statusCode() != 200) {
                throw refusal(response);
            }
            for (JsonNode found : tree(response).path("found")) {
                Known k = JSON.convertValue(found, Known.class);
                known.put(k.sha256(), k);
            }
        }
        return known;
    }

    /** A GET of the ledger's reports; the body as the ingest sent it. */
    public String get(String path, Map<String, String> query) {
        StringBuilder target = new StringBuilder(path);
        String separator = "?";
        for (Map.Entry<String, String> q : query.entrySet()) {
            if (q.getValue() != null) {
                target.append(separator).append(q.getKey()).append('=').append(URLEncoder.encode(q.getValue(), StandardCharsets.UTF_8));
                separator = "&";
            }
        }
        HttpResponse<String> response = send(request(target.toString()).GET());
        if (response.statusCode() != 200) {
            throw refusal(response);
        }
        return response.body();
    }

    public JsonNode getJson(String path, Map<String, String> query) {
        try {
            return JSON.readTree(get(path, query));
        } catch (JsonProcessingException e) {
            throw unusable(e);
        }
    }

    /** Opens a batch's progress socket ({@code /ws/batches/{id}}); messages go to the listener. */
    public WebSocket follow(String progressPath, WebSocket.Listener listener) {
        URI http = base.resolve(relative(progressPath));
        URI ws = URI.create((http.getScheme().equals("https") ? "wss" : "ws") + http.toString().substring(http.getScheme().length()));
        WebSocket.Builder builder = this.http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10)).header("User-Agent", USER_AGENT);
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        try {
            return builder.buildAsync(ws, listener).get(15, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            if (cause instanceof java.net.http.WebSocketHandshakeException handshake) {
                int status = handshake.getResponse().statusCode();
                throw new IngestException(authSentence(status, Optional.empty()).orElse(
                        "The ingest at " + where() + " refused the progress socket (" + status + ")."), IngestException.UNREACHABLE, status);
            }
            throw unreachable(cause);
        } catch (TimeoutException e) {
            throw new IngestException("The ingest at " + where() + " did not open the progress socket within 15 s.", IngestException.UNREACHABLE, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("Interrupted.", IngestException.UNREACHABLE, 0);
        }
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(relative(pathAndQuery))).timeout(timeout)
                .header("User-Agent", USER_AGENT).header("Accept", "application/json, text/*;q=0.9, */*;q=0.8");
        token.ifPresent(t -> builder.header("Authorization", "Bearer " + t));
        return builder;
    }

    /** Paths relative to the base, so an ingest behind a path prefix ({@code https://host/ranger/}) works too. */
    private static String relative(String path) {
        return path.startsWith("/") ? path.substring(1) : path;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestException("Interrupted.", IngestException.UNREACHABLE, 0);
        }
    }

    private IngestException unreachable(Throwable e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "no connection within 5 s";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer within " + timeout.toSeconds() + " s";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else if (e instanceof java.nio.channels.UnresolvedAddressException || e instanceof java.net.UnknownHostException) {
            why = "unknown host";
        } else if (e instanceof javax.net.ssl.SSLException) {
            why = "TLS failed: " + e.getMessage();
        } else {
            why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        return new IngestException("Cannot reach the ingest at " + where() + " (" + why + "). Is it running? Start it with ./ranger up, "
                + "or point --ingest (or RANGER_INGEST_URL) at a running one.", IngestException.UNREACHABLE, 0);
    }

    /** A refusal as a sentence: the token's fault (401/403), the request's (4xx) or the server's (5xx). */
    private IngestException refusal(HttpResponse<String> response) {
        int status = response.statusCode();
        Optional<String> detail = detail(response);
        Optional<String> auth = authSentence(status, detail);
        if (auth.isPresent()) {
            return new IngestException(auth.get(), IngestException.UNREACHABLE, status);
        }
        if (status >= 400 && status < 500 && status != 404 && status != 408 && status != 429) {
            return new IngestException(detail.orElse("The ingest refused the request (" + status + ")."), IngestException.BAD_REQUEST, status);
        }
        if (status == 404) {
            return new IngestException("The ingest at " + where() + " does not know " + response.request().uri().getPath()
                    + " (404): is --ingest the address of a Receipt Ranger ingest, and is it up to date?", IngestException.UNREACHABLE, 404);
        }
        return new IngestException("The ingest at " + where() + " answered " + status + detail.map(d -> ": " + d).orElse(".")
                + " Try again shortly.", IngestException.UNREACHABLE, status);
    }

    private Optional<String> authSentence(int status, Optional<String> detail) {
        String said = detail.map(d -> " It said: " + d).orElse("");
        if (status == 401) {
            return Optional.of(token.isPresent()
                    ? "The ingest at " + where() + " refused the token (401): it may be mistyped, expired or revoked. Create a new "
                            + "personal API token in the web page's account section and pass it with --token or RANGER_TOKEN." + said
                    : "The ingest at " + where() + " wants a sign-in (401). Create a personal API token in the web page's account "
                            + "section and pass it with --token or RANGER_TOKEN." + said);
        }
        if (status == 403) {
            return Optional.of("The ingest at " + where() + " does not allow this " + (token.isPresent() ? "token" : "caller")
                    + " (403): the account may not be on the allow-list, or the token may lack the right." + said);
        }
        return Optional.empty();
    }

    private static Optional<String> detail(HttpResponse<String> response) {
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.contains("json")) {
            return Optional.empty();
        }
        try {
            JsonNode node = JSON.readTree(response.body());
            String detail = node.path("detail").asText("");
            return detail.isBlank() ? Optional.empty() : Optional.of(io.receiptranger.cli.text.Text.line(detail));
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    private <T> T read(HttpResponse<String> response, Class<T> type) {
        try {
            return JSON.readValue(response.body(), type);
        } catch (JsonProcessingException e) {
            throw unusable(e);
        }
    }

    private JsonNode tree(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (JsonProcessingException e) {
            throw unusable(e);
        }
    }

    private IngestException unusable(Exception e) {
        return new IngestException("The ingest at " + where() + " gave an answer the CLI cannot read (" + e.getClass().getSimpleName()
                + "): is --ingest the address of a Receipt Ranger ingest?", IngestException.UNREACHABLE, 0);
    }

    private static Optional<Duration> seconds(String retryAfter) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(1, Math.min(300, Long.parseLong(retryAfter.trim())))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String version() {
        String v = IngestClient.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
