package io.receiptranger.ingest.rest;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * {@code GET /api/receipts} and {@code GET /api/summary}, forwarded to the sheets-sink (CONTRACT §3):
 * the browser only ever talks to the ingest. Query string, status, content type and the download
 * name pass through unchanged. {@code POST /api/receipts/lookup} ("which of these photos do I
 * already have", the CLI's memory) and {@code GET /api/duplicates} are asked for the caller's owner
 * only, whatever the client sends. The same holds for the forwarded queries: any {@code owner} the
 * client put in the query string is dropped and the verified caller's is set.
 */
@Path("/api")
public class LedgerResource {

    /** A lookup names at most 1000 hashes (the sink's cap): about 70 KB of JSON. */
    static final int MAX_LOOKUP_BYTES = 128 * 1024;

    private final HttpClient client;
    private final String sinkUrl;
    private final Duration timeout;
    private final CurrentOwner owner;

    public LedgerResource(IngestConfig config, CurrentOwner owner) {
        this.owner = owner;
        this.sinkUrl = config.sinkUrl().replaceAll("/+$", "");
        this.timeout = config.sinkTimeout();
        this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    }

    @GET
    @Path("/receipts")
    public Response receipts(@Context UriInfo uri) {
        return forward("/api/receipts", uri);
    }

    @GET
    @Path("/summary")
    public Response summary(@Context UriInfo uri) {
        return forward("/api/summary", uri);
    }

    @POST
    @Path("/receipts/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response lookup(InputStream in) throws IOException {
        // Read no more than the cap: the server's body limit is sized for photo uploads.
        byte[] body = in == null ? new byte[0] : in.readNBytes(MAX_LOOKUP_BYTES + 1);
        if (body.length == 0) {
            return Problem.response(400, "Send the hashes as JSON: {\"sha256\":[\"<64 hex digits>\", ...]}.");
        }
        if (body.length > MAX_LOOKUP_BYTES) {
            return Problem.response(413, "A lookup may name at most 1000 hashes; split the list.");
        }
        return send(HttpRequest.newBuilder(URI.create(sinkUrl + "/api/receipts/lookup?owner=" + ownerParam()))
                .timeout(timeout).header("Content-Type", MediaType.APPLICATION_JSON)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    @GET
    @Path("/duplicates")
    public Response duplicates() {
        return send(HttpRequest.newBuilder(URI.create(sinkUrl + "/api/duplicates?owner=" + ownerParam())).timeout(timeout).GET().build());
    }

    private String ownerParam() {
        return URLEncoder.encode(owner.id(), StandardCharsets.UTF_8);
    }

    private Response forward(String path, UriInfo uri) {
        String query = withOwner(uri.getRequestUri().getRawQuery(), owner.id());
        URI target;
        try {
            target = URI.create(sinkUrl + path + "?" + query);
        } catch (IllegalArgumentException e) {
            return Problem.response(400, "The query string is not valid.");
        }
        return send(HttpRequest.newBuilder(target).timeout(timeout).GET().build());
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder out = Response.status(response.statusCode()).entity(response.body());
            response.headers().firstValue("Content-Type").ifPresent(t -> out.header("Content-Type", t));
            response.headers().firstValue("Content-Disposition").ifPresent(d -> out.header("Content-Disposition", d));
            // Paging: how many receipts match in all (the page shows "26–50 of 80").
            response.headers().firstValue("X-Total-Count").ifPresent(n -> out.header("X-Total-Count", n));
            return out.build();
        } catch (HttpTimeoutException e) {
            return Problem.response(504, "The ledger service (sheets-sink) did not answer within " + timeout.toSeconds()
                    + " s. Try again shortly.");
        } catch (ConnectException e) {
            Log.warnf("Ledger service not reachable at %s: %s", sinkUrl, e.toString());
            return Problem.response(503, "The ledger service (sheets-sink) is not reachable right now. Try again shortly.");
        } catch (IOException e) {
            return Problem.response(502, "The ledger service (sheets-sink) gave no usable answer. Try again shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problem.response(503, "The request was interrupted. Try again.");
        }
    }

    /** The client's query without any {@code owner} of its own, then the verified owner. */
    static String withOwner(String rawQuery, String owner) {
        StringBuilder out = new StringBuilder();
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty() || isOwner(pair.split("=", 2)[0])) {
                    continue;
                }
                out.append(pair).append('&');
            }
        }
        return out.append("owner=").append(URLEncoder.encode(owner, StandardCharsets.UTF_8)).toString();
    }

    private static boolean isOwner(String name) {
        try {
            return java.net.URLDecoder.decode(name, StandardCharsets.UTF_8).equalsIgnoreCase("owner");
        } catch (IllegalArgumentException e) {
            return name.toLowerCase(java.util.Locale.ROOT).contains("owner");
        }
    }
}
