package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * What an operator sees, proven against the packaged services: a real Prometheus scrapes the three
 * while a batch runs, and every query of deploy/observability/grafana-dashboard.json and every
 * metric an alert of deploy/observability/alerts.yml reads returns data; every rule evaluates
 * without error. A typo'd metric name, a label that does not exist or a service that stopped
 * exporting a series fails here.
 */
class ObservabilityIT {

    private static final String SPREADSHEET_ID = "ops-spreadsheet";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");
    private static final Path DASHBOARD = ServiceProcess.REPO.resolve("deploy/observability/grafana-dashboard.json");
    private static final Path RULES = ServiceProcess.REPO.resolve("deploy/observability/alerts.yml");
    /** A metric selector inside PromQL: a name of ours (or up) and its optional label matchers. */
    private static final Pattern SELECTOR = Pattern.compile("\\b(ranger_[a-z_]+|up|http_server_requests_seconds_count)(\\{[^}]*})?");

    private static Pipeline system;
    private static WireMockServer openAi;
    private static PrometheusProcess prometheus;
    private static OtlpReceiver otlp;
    private static String batchId;
    private static List<String> receiptIds;
    private static ServiceProcess ingest;

    @BeforeAll
    static void startTheSystemAndItsPrometheus() throws Exception {
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(new ReceiptJourneyIT.RepliesInTurn(
                ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.YOGA_READING),
                ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.PHO_READING))));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withTransformers(ReceiptJourneyIT.RepliesInTurn.NAME)));
        otlp = OtlpReceiver.start();
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                // Every receipt traced and exported to the test's OTLP receiver (off by default).
                .everywhere("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.endpoint())
                .everywhere("RANGER_TRACES_SAMPLE_RATIO", "1")
                .everywhere("QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms")
                // Logs as in the container image: JSON lines, with the trace id and the receipt.
                .env("extractor", "QUARKUS_LOG_CONSOLE_JSON_ENABLED", "true")
                .env("ingest", "RANGER_OPS_LAG_INTERVAL", "1s")
                .start();
        ingest = system.ingest;
        Map<String, Integer> jobs = new LinkedHashMap<>();
        jobs.put("ingest", ingest.port());
        jobs.put("extractor", system.extractor.port());
        jobs.put("sheets-sink", system.sink.port());
        prometheus = PrometheusProcess.start(jobs, RULES);
        // The batch runs in well under a scrape interval: Prometheus must have seen the counters at 0
        // first, or the batch appears at its final count and rate() over it is 0.
        await("Prometheus scraped the ingest's counters at 0").atMost(Duration.ofMinutes(1))
                .until(() -> value("max(ranger_receipts_terminal_total{stage=\"WRITTEN\"})") == 0.0);

        // A batch of two receipts and a file that is not an image, uploaded while Prometheus scrapes
        Multipart form = new Multipart()
                .file("files", ReceiptJourneyIT.YOGA_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(ReceiptJourneyIT.YOGA_FILE)))
                .file("files", ReceiptJourneyIT.PHO_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(ReceiptJourneyIT.PHO_FILE)))
                .file("files", "notes.txt", "text/plain", "not a receipt".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ingest.url("/api/batches"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(upload.body());
        batchId = accepted.get("batchId").asText();
        receiptIds = new ArrayList<>();
        accepted.get("accepted").forEach(a -> receiptIds.add(a.get("receiptId").asText()));
        await("batch complete").atMost(Duration.ofMinutes(2)).until(() -> JSON.readTree(HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(ingest.url("/api/batches/" + batchId)).build(), HttpResponse.BodyHandlers.ofString()).body())
                .path("complete").asBoolean());
    }

    @AfterAll
    static void stopEverything() {
        if (prometheus != null) {
            prometheus.close();
        }
        if (otlp != null) {
            otlp.close();
        }
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    void every_dashboard_query_and_every_alerts_metric_has_data_while_a_batch_runs() throws Exception {
        // When Prometheus has scraped the batch's outcome (the batch completed in @BeforeAll)
        await("Prometheus saw both receipts WRITTEN and the lag measured").atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
            assertThat(value("max(ranger_receipts_terminal_total{stage=\"WRITTEN\"})")).isEqualTo(2.0);
            assertThat(value("sum(ranger_sheets_rows_written_total)")).isEqualTo(2.0);
            assertThat(value("sum(ranger_upload_files_total{result=\"rejected\",reason=\"unsupported_type\"})")).isEqualTo(1.0);
            assertThat(value("max(ranger_consumer_lag_records{group=\"sheets-sink\"})")).isZero();
            assertThat(value("count(ranger_receipt_duration_seconds_count{stage=\"WRITTEN\"} > 0)")).isEqualTo(1.0);
        });
        // … long enough for rate() over the dashboard's interval to have two samples after the batch
        await("a rate of the batch").atMost(Duration.ofSeconds(30))
                .until(() -> value("max(rate(ranger_receipts_terminal_total{stage=\"WRITTEN\"}[5m]))") > 0);

        // Then every target is up
        for (JsonNode target : prometheus.targets()) {
            assertThat(target.path("health").asText()).as("%s: %s", target.path("labels").path("job"), target.path("lastError"))
                    .isEqualTo("up");
        }

        // And every panel query of the dashboard returns data
        List<String> empty = new ArrayList<>();
        int queries = 0;
        for (JsonNode panel : JSON.readTree(DASHBOARD.toFile()).path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText().replace("$__rate_interval", "1m");
                queries++;
                if (prometheus.query(expr).path("result").isEmpty()) {
                    empty.add(panel.path("title").asText() + ": " + expr);
                }
            }
        }
        assertThat(queries).isGreaterThan(25);
        assertThat(empty).as("dashboard queries without data").isEmpty();

        // And every rule is loaded and evaluates without error, and every series it reads exists
        List<String> problems = new ArrayList<>();
        Set<String> alerts = new LinkedHashSet<>();
        await("every rule evaluated").atMost(Duration.ofSeconds(30)).until(() -> {
            for (JsonNode group : prometheus.rules()) {
                for (JsonNode rule : group.path("rules")) {
                    if (rule.path("lastEvaluation").asText().startsWith("0001")) {
                        return false;
                    }
                }
            }
            return true;
        });
        for (JsonNode group : prometheus.rules()) {
            for (JsonNode rule : group.path("rules")) {
                String name = rule.path("name").asText();
                alerts.add(name);
                if (!"ok".equals(rule.path("health").asText())) {
                    problems.add(name + ": " + rule.path("health").asText() + " " + rule.path("lastError").asText());
                }
                Matcher selector = SELECTOR.matcher(rule.path("query").asText());
                while (selector.find()) {
                    if (prometheus.query(selector.group()).path("result").isEmpty()) {
                        problems.add(name + " reads " + selector.group() + ", which has no data");
                    }
                }
            }
        }
        assertThat(alerts).hasSize(8);
        assertThat(problems).as("alert rules").isEmpty();
        // A healthy run fires nothing that waits for nothing (the rules are true alarms, not noise)
        assertThat(prometheus.query("ALERTS{alertstate=\"firing\"}").path("result")).isEmpty();
    }

    @Test
    void one_receipts_upload_extraction_model_call_and_sheets_write_are_one_trace() {
        String receiptId = receiptIds.get(0);
        // The sink's span for this receipt names it; its trace began at the upload
        await("the receipt's spans exported").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<OtlpReceiver.ReceivedSpan> spans = otlp.spans();
            Files.write(Path.of("target", "e2e-logs", "spans.txt"), spans.stream().map(String::valueOf).toList());
            String traceId = spans.stream()
                    .filter(s -> "sheets-sink".equals(s.service()) && receiptId.equals(s.attributes().get("ranger.receipt_id")))
                    .map(OtlpReceiver.ReceivedSpan::traceId).findFirst()
                    .orElseThrow(() -> new AssertionError("no sheets-sink span for " + receiptId + " among " + spans.size()
                            + " (target/e2e-logs/spans.txt)"));
            List<OtlpReceiver.ReceivedSpan> trace = spans.stream().filter(s -> traceId.equals(s.traceId())).toList();
            assertThat(trace).as("the upload").anySatisfy(s -> {
                assertThat(s.service()).isEqualTo("ingest");
                assertThat(s.name()).contains("/api/batches");
            });
            assertThat(trace).as("the extraction of this receipt").anySatisfy(s -> {
                assertThat(s.service()).isEqualTo("extractor");
                assertThat(s.attributes()).containsEntry("ranger.receipt_id", receiptId);
            });
            assertThat(trace).as("the model call").anySatisfy(s -> {
                assertThat(s.service()).isEqualTo("extractor");
                assertThat(s.name()).isEqualTo("model read");
            });
            assertThat(trace).as("the Sheets write").anySatisfy(s -> {
                assertThat(s.service()).isEqualTo("sheets-sink");
                assertThat(s.name()).isEqualTo("sheets write");
                assertThat(s.attributes()).containsEntry("ranger.receipt_id", receiptId);
            });

            // And the extractor's JSON log lines about the receipt carry the same trace id
            List<JsonNode> lines = system.extractor.logLines().stream().filter(l -> l.startsWith("{")).map(ObservabilityIT::json)
                    .filter(l -> receiptId.equals(l.path("mdc").path("receiptId").asText())).toList();
            assertThat(lines).as("JSON log lines with receiptId " + receiptId).isNotEmpty()
                    .allSatisfy(l -> assertThat(l.path("mdc").path("traceId").asText()).isEqualTo(traceId));
        });
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static double value(String promql) {
        JsonNode result = prometheus.query(promql).path("result");
        return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").get(1).asText());
    }
}
