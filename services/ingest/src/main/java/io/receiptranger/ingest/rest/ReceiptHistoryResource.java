package io.receiptranger.ingest.rest;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.blob.BlobStore;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.history.Corrections;
import io.receiptranger.ingest.history.Rereads;

/**
 * The owner's receipts one by one (CONTRACT §3): read one with its history of changes, its image,
 * the totals behind the charts; correct, delete, undo; accept or discard one held for review. Every
 * call is for {@link CurrentOwner#id()}: another owner's receipt answers 404 like an unknown one.
 * Changes answer {@code 200} once the sink applied them, {@code 409} with the sink's sentence when it
 * refused, {@code 202} when it has not settled them within the wait (the page then polls this receipt).
 */
@Path("/api")
public class ReceiptHistoryResource {

    private final CurrentOwner owner;
    private final Corrections corrections;
    private final Rereads rereads;
    private final BlobStore blobs;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(3)).build();
    private final String sinkUrl;
    private final Duration timeout;

    public ReceiptHistoryResource(CurrentOwner owner, Corrections corrections, Rereads rereads, BlobStore blobs, IngestConfig config) {
        this.owner = owner;
        this.corrections = corrections;
        this.rereads = rereads;
        this.blobs = blobs;
        this.sinkUrl = config.sinkUrl().replaceAll("/+$", "");
        this.timeout = config.sinkTimeout();
    }

    /** A correction or an accepted review, as the page sends it: fields left out are unchanged. */
    public record Change(String amount, String date, String vendor, List<String> categories, String timeZone, String correctionId) {
    }

    @GET
    @Path("/receipts/{receiptId}")
    @jakarta.ws.rs.Produces(MediaType.APPLICATION_JSON)
    public JsonNode receipt(@PathParam("receiptId") String receiptId) {
        return corrections.receipt(owner.id(), receiptId).orElseThrow(() -> new Corrections.Unknown(receiptId));
    }

    /** The normalised image of one of the owner's receipts (the thumbnail in the history). */
    @GET
    @Path("/receipts/{receiptId}/image")
    public Response image(@PathParam("receiptId") String receiptId) {
        JsonNode r = receipt(receiptId).path("receipt");
        String batchId = r.path("batchId").asText("");
        if (batchId.isBlank() || !receiptId.matches("[A-Za-z0-9._:-]{1,128}") || !batchId.matches("[A-Za-z0-9._:-]{1,128}")) {
            return Problem.response(404, "There is no image for receipt " + receiptId + ".");
        }
        for (String name : List.of("image.jpg", "image.png")) {
            try {
                byte[] bytes = blobs.get(blobs.uriOf(batchId + "/" + receiptId + "/" + name));
                return Response.ok(bytes, name.endsWith("png") ? "image/png" : "image/jpeg").header("Cache-Control", "private, max-age=3600").build();
            } catch (IOException e) {
                // not this one; try the other name
            }
        }
        return Problem.response(404, "The image of receipt " + receiptId + " is no longer kept.");
    }

    /** Month × currency × category totals of the filtered receipts (the charts), forwarded to the sink for this owner. */
    @GET
    @Path("/receipts/totals")
    public Response totals(@Context UriInfo uri) {
        StringBuilder query = new StringBuilder("owner=").append(URLEncoder.encode(owner.id(), StandardCharsets.UTF_8));
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            if (List.of("month", "vendor", "minAmount", "maxAmount", "category").contains(p.getKey())) {
                for (String v : p.getValue()) {
                    query.append('&').append(p.getKey()).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
                }
            }
        }
        try {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(sinkUrl + "/api/receipts/totals?" + query))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            Response.ResponseBuilder out = Response.status(response.statusCode()).entity(response.body());
            response.headers().firstValue("Content-Type").ifPresent(t -> out.header("Content-Type", t));
            return out.build();
        } catch (IOException e) {
            return Problem.response(503, "The ledger service (sheets-sink) is not reachable right now. Try again shortly.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problem.response(503, "The request was interrupted. Try again.");
        }
    }

    @POST
    @Path("/receipts/{receiptId}/corrections")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response correct(@PathParam("receiptId") String receiptId, Change change) {
        Change c = change == null ? new Change(null, null, null, null, null, null) : change;
        return answer(corrections.correct(owner.id(), receiptId, fields(c), c.timeZone()));
    }

    @DELETE
    @Path("/receipts/{receiptId}")
    public Response delete(@PathParam("receiptId") String receiptId) {
        return answer(corrections.delete(owner.id(), receiptId));
    }

    /** Takes back the receipt's last change (a correction or the deletion) while it is recent. */
    @POST
    @Path("/receipts/{receiptId}/undo")
    public Response undo(@PathParam("receiptId") String receiptId, Change change) {
        return answer(corrections.undo(owner.id(), receiptId, change == null ? null : change.correctionId()));
    }

    @POST
    @Path("/receipts/{receiptId}/accept")
    public Response accept(@PathParam("receiptId") String receiptId, Change change) {
        Change c = change == null ? new Change(null, null, null, null, null, null) : change;
        return answer(corrections.accept(owner.id(), receiptId, fields(c), c.timeZone()));
    }

    @POST
    @Path("/receipts/{receiptId}/discard")
    public Response discard(@PathParam("receiptId") String receiptId) {
        return answer(corrections.discard(owner.id(), receiptId));
    }

    /** A re-read as the page asks it: criteria to judge it by (none: none), the owner's time zone; or a whole batch's FAILED ones. */
    public record RereadRequest(String batchId, String exclusionCriteria, String timeZone, String rereadId) {
    }

    /** Reads one receipt again from its stored image; the new values show beside the old ones (a written receipt) or it is written. */
    @POST
    @Path("/receipts/{receiptId}/reread")
    public Response reread(@PathParam("receiptId") String receiptId, RereadRequest request) {
        RereadRequest r = request == null ? new RereadRequest(null, null, null, null) : request;
        Rereads.Outcome o = rereads.reread(owner.id(), receiptId, r.exclusionCriteria(), r.timeZone());
        return Response.status("PENDING".equals(o.outcome()) ? 202 : 200).type(MediaType.APPLICATION_JSON).entity(o).build();
    }

    /** Reads again every receipt of one of the owner's batches that could not be read ({@code FAILED}). */
    @POST
    @Path("/receipts/reread")
    public Response rereadBatch(RereadRequest request) {
        if (request == null || request.batchId() == null || request.batchId().isBlank()) {
            return Problem.response(400, "Say which batch to read again: {\"batchId\":\"…\"}.");
        }
        return Response.accepted(rereads.rereadFailed(owner.id(), request.batchId().trim(), request.exclusionCriteria(), request.timeZone()))
                .type(MediaType.APPLICATION_JSON).build();
    }

    /** Keeps the re-read's values: the row is corrected with them. */
    @POST
    @Path("/receipts/{receiptId}/reread/keep")
    public Response keepReread(@PathParam("receiptId") String receiptId, RereadRequest request) {
        return answer(rereads.keep(owner.id(), receiptId, request == null ? null : request.rereadId()));
    }

    /** Keeps the values the receipt had: the re-read is set aside. */
    @POST
    @Path("/receipts/{receiptId}/reread/dismiss")
    public Response dismissReread(@PathParam("receiptId") String receiptId, RereadRequest request) {
        return answer(rereads.dismiss(owner.id(), receiptId, request == null ? null : request.rereadId()));
    }

    private static Corrections.Fields fields(Change c) {
        return new Corrections.Fields(c.amount(), c.date(), c.vendor(), c.categories());
    }

    private static Response answer(Corrections.Outcome o) {
        if ("REFUSED".equals(o.outcome())) {
            return Problem.response(409, o.detail());
        }
        return Response.status("PENDING".equals(o.outcome()) ? 202 : 200).type(MediaType.APPLICATION_JSON).entity(o).build();
    }
}
