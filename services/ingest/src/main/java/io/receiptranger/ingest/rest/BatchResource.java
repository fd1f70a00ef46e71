package io.receiptranger.ingest.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.view.BatchSnapshot;
import io.receiptranger.ingest.view.BatchViews;
import io.receiptranger.ingest.view.Exports;

/**
 * A batch now ({@code GET /api/batches/{id}}) and as a download ({@code .../export}): the caller's
 * own batches only; another owner's answers exactly like an unknown id.
 */
@Path("/api/batches/{batchId}")
public class BatchResource {

    private final BatchViews views;
    private final CurrentOwner owner;

    public BatchResource(BatchViews views, CurrentOwner owner) {
        this.views = views;
        this.owner = owner;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response batch(@PathParam("batchId") String batchId) {
        return views.find(batchId, owner.id()).map(b -> Response.ok(b).build()).orElseGet(() -> unknown(batchId));
    }

    @GET
    @Path("/export")
    public Response export(@PathParam("batchId") String batchId, @QueryParam("format") String format) {
        BatchSnapshot batch = views.find(batchId, owner.id()).orElse(null);
        if (batch == null) {
            return unknown(batchId);
        }
        String f = format == null ? "tsv" : format.toLowerCase(java.util.Locale.ROOT);
        return switch (f) {
            case "tsv" -> download(Exports.tsv(batch), "text/tab-separated-values; charset=UTF-8", "tsv");
            case "csv" -> download(Exports.csv(batch), "text/csv; charset=UTF-8", "csv");
            case "json" -> download(Map.of("batchId", batch.batchId(), "complete", batch.complete(),
                    "receipts", List.copyOf(batch.receipts()), "totals", batch.totals()),
                    MediaType.APPLICATION_JSON, "json");
            default -> Problem.response(400, "format must be tsv, csv or json.");
        };
    }

    private static Response download(Object body, String type, String extension) {
        return Response.ok(body, type)
                .header("Content-Disposition", "attachment; filename=\"receipts." + extension + "\"")
                .build();
    }

    private Response unknown(String batchId) {
        if (views.tooOld(batchId)) {
            return Problem.response(404, "This batch is too old to show: finished batches are kept for a while and then"
                    + " only in the ledger (GET /api/receipts).");
        }
        return Problem.response(404, "There is no batch with this id (it may be older than the topics' retention).");
    }
}
