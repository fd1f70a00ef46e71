package io.receiptranger.ingest.rest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * {@code GET /api/receipts} and {@code GET /api/summary}, forwarded to the sheets-sink (CONTRACT §3):
 * the browser only ever talks to the ingest. Query string, status, content type and the download
 * name pass through unchanged.
 */
@Path("/api")
public class LedgerResource {

    private final HttpClient client;
    private final String sinkUrl;
    private final Duration timeout;

    public LedgerResource(IngestConfig config) {
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

    private Response forward(String path, UriInfo uri) {
        String query = uri.getRequestUri().getRawQuery();
        URI target = URI.create(sinkUrl + path + (query == null ? "" : "?" + query));
        HttpRequest request = HttpRequest.newBuilder(target).timeout(timeout).GET().build();
        try {
            HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder out = Response.status(response.statusCode()).entity(response.body());
            response.headers().firstValue("Content-Type").ifPresent(t -> out.header("Content-Type", t));
            response.headers().firstValue("Content-Disposition").ifPresent(d -> out.header("Content-Disposition", d));
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
        } catch (IllegalArgumentException e) {
            return Problem.response(400, "The query string is not valid.");
        }
    }
}
