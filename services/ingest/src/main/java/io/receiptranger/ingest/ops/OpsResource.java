package io.receiptranger.ingest.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.rest.Problem;
import io.smallrye.common.annotation.Blocking;

/**
 * The operators' endpoints (CONTRACT §7), for the ops view and {@code ./ranger dlq}: the pipeline
 * over the last hour, the model's and Google Sheets' health, and the dead letters with replay.
 * Allowed only when {@link CurrentOwner#operator()}; anyone else gets 403.
 */
@Path("/api/ops")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class OpsResource {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final CurrentOwner caller;
    private final DeadLetters deadLetters;
    private final PipelineMetrics pipeline;
    private final PipelineLag lag;
    private final String sinkUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public OpsResource(CurrentOwner caller, DeadLetters deadLetters, PipelineMetrics pipeline, PipelineLag lag,
            IngestConfig config) {
        this.caller = caller;
        this.deadLetters = deadLetters;
        this.pipeline = pipeline;
        this.lag = lag;
        this.sinkUrl = config.sinkUrl().replaceAll("/+$", "");
    }

    /** What a replay request selects: {@code ids}, or a filter ({@code topic}, {@code receiptId}, {@code reason}), or {@code all}. */
    public record ReplayRequest(List<String> ids, String topic, String receiptId, String reason, Boolean all) {
    }

    @GET
    @Path("/summary")
    public Response summary() {
        if (!caller.operator()) {
            return forbidden();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        Map<Stage, Long> lastHour = pipeline.lastHour();
        body.put("lastHour", lastHour);
        Map<String, PipelineMetrics.Failure> failures = pipeline.lastFailures();
        // The model as the pipeline shows it (the extractor has no route from here): receipts it
        // read against those it ended FAILED, and what it said last.
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("extractedLastHour", lastHour.get(Stage.EXTRACTED));
        model.put("failedLastHour", pipeline.failedLastHour("extractor"));
        model.put("lastFailure", failures.getOrDefault("extractor", none()));
        body.put("model", model);
        Map<String, Object> sheets = sheets(failures.getOrDefault("sheets-sink", none()));
        sheets.put("writtenLastHour", lastHour.get(Stage.WRITTEN));
        sheets.put("failedLastHour", pipeline.failedLastHour("sheets-sink"));
        body.put("sheets", sheets);
        body.put("consumerLag", lag.lag());
        body.put("deadLetters", lag.deadLetters());
        return Response.ok(body).build();
    }

    @GET
    @Path("/dead-letters")
    public Response list(@QueryParam("topic") String topic, @QueryParam("receiptId") String receiptId,
            @QueryParam("reason") String reason, @QueryParam("format") String format) {
        if (!caller.operator()) {
            return forbidden();
        }
        if (topic != null && !DeadLetters.TOPICS.containsKey(topic)) {
            return Problem.response(400, "Unknown dead-letter topic \"" + clip(topic) + "\": use receipts-dlq or extractions-dlq.");
        }
        List<DeadLetters.DeadLetter> letters = deadLetters.list(new DeadLetters.Filter(topic, receiptId, reason, null));
        if ("tsv".equals(format)) {
            StringBuilder tsv = new StringBuilder("id\ttopic\treceiptId\tbatchId\tservice\tat\treason\n");
            letters.forEach(d -> tsv.append(String.join("\t", d.id(), d.topic(), cell(d.receiptId()), cell(d.batchId()), d.service(),
                    String.valueOf(d.at()), cell(d.reason()))).append('\n'));
            return Response.ok(tsv.toString(), "text/tab-separated-values; charset=UTF-8").build();
        }
        return Response.ok(Map.of("deadLetters", letters)).build();
    }

    @POST
    @Path("/dead-letters/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response replay(ReplayRequest request, @QueryParam("format") String format) {
        if (!caller.operator()) {
            return forbidden();
        }
        if (request == null) {
            return Problem.response(400, "Say what to replay: {\"ids\":[…]}, a filter {\"topic\",\"receiptId\",\"reason\"}, or {\"all\":true}.");
        }
        boolean all = Boolean.TRUE.equals(request.all());
        boolean byIds = request.ids() != null && !request.ids().isEmpty();
        boolean byFilter = request.topic() != null || request.receiptId() != null || request.reason() != null;
        if (!all && !byIds && !byFilter) {
            return Problem.response(400, "Nothing selected: give ids, a filter (topic, receiptId, reason) or \"all\": true.");
        }
        if (request.topic() != null && !DeadLetters.TOPICS.containsKey(request.topic())) {
            return Problem.response(400, "Unknown dead-letter topic \"" + clip(request.topic()) + "\": use receipts-dlq or extractions-dlq.");
        }
        DeadLetters.Filter filter = all && !byIds && !byFilter ? DeadLetters.Filter.ALL
                : new DeadLetters.Filter(request.topic(), request.receiptId(), request.reason(), request.ids());
        DeadLetters.Replayed done = deadLetters.replay(filter);
        if ("tsv".equals(format)) {
            StringBuilder tsv = new StringBuilder();
            done.replayed().forEach(id -> tsv.append("replayed\t").append(id).append('\n'));
            done.skipped().forEach(k -> tsv.append("skipped\t").append(k.id()).append('\t').append(cell(k.why())).append('\n'));
            if (tsv.isEmpty()) {
                tsv.append("nothing matched\n");
            }
            return Response.ok(tsv.toString(), "text/tab-separated-values; charset=UTF-8").build();
        }
        return Response.ok(done).build();
    }

    private static PipelineMetrics.Failure none() {
        return new PipelineMetrics.Failure(null, null);
    }

    /** Google Sheets as the sink's dependencies health group reports it, or "unknown" when the sink does not answer. */
    private Map<String, Object> sheets(PipelineMetrics.Failure lastFailure) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(sinkUrl + "/q/health/group/dependencies"))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode check = null;
            for (JsonNode c : JSON.readTree(response.body()).path("checks")) {
                if ("google-sheets".equals(c.path("name").asText())) {
                    check = c;
                }
            }
            out.put("status", check == null ? "UNKNOWN" : check.path("status").asText());
            out.put("state", check == null ? null : check.path("data").path("state").asText(null));
            out.put("problem", check == null ? null : check.path("data").path("problem").asText(null));
        } catch (java.io.IOException e) {
            out.put("status", "UNKNOWN");
            out.put("problem", "the sheets-sink did not answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            out.put("status", "UNKNOWN");
        }
        out.put("lastFailure", lastFailure);
        return out;
    }

    private static Response forbidden() {
        return Problem.response(403, "Only operators may use the operations endpoints.");
    }

    /** A TSV cell: no tabs or line breaks inside. */
    private static String cell(String s) {
        return s == null ? "" : s.replaceAll("[\\t\\r\\n]+", " ");
    }

    private static String clip(String s) {
        String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
        return shown.replaceAll("\\p{Cntrl}", "");
    }
}
