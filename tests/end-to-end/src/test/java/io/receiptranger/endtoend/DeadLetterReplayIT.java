package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * A receipt dead-lettered for a transient cause (the model provider answered 503 until the
 * extractor's retry budget ran out) is listed and replayed by an operator with `./ranger dlq`,
 * goes the normal way again and ends WRITTEN, with one row in the sheet. Replaying it again is
 * refused, and its record sent to {@code receipts} once more by hand writes no second row.
 */
class DeadLetterReplayIT {

    private static final String SPREADSHEET_ID = "dlq-spreadsheet";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");
    private static final List<String> YOGA_ROW = List.of("167.61", "10/5/2025", "", "PEAK YOGA STUDIO", "Subscriptions & Memberships");

    private static final AtomicBoolean providerDown = new AtomicBoolean(true);
    private static Pipeline system;
    private static KafkaLocalProcess kafka;
    private static WireMockServer openAi;
    private static FakeSheets sheets;
    private static ServiceProcess ingest;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheSystemWithAFailingModelProvider() throws Exception {
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(new DownThenUp()));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withTransformers(DownThenUp.NAME)));
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                // A short retry budget, so the outage outlasts it in seconds; the breaker stays out of the way.
                .env("extractor", Map.of("RANGER_MODEL_MAX_ATTEMPTS", "2", "RANGER_MODEL_INITIAL_BACKOFF", "100ms",
                        "RANGER_MODEL_MAX_BACKOFF", "200ms", "RANGER_MODEL_RETRY_BUDGET", "3s",
                        "RANGER_MODEL_BREAKER_FAILURE_THRESHOLD", "50"))
                .start();
        kafka = system.kafka;
        sheets = system.sheets;
        ingest = system.ingest;
    }

    @AfterAll
    static void stopEverything() {
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    void a_receipt_dead_lettered_during_a_model_outage_is_replayed_and_written_once() throws Exception {
        // Given a receipt uploaded while the model provider answers 503
        Multipart form = new Multipart().file("files", ReceiptJourneyIT.YOGA_FILE, "image/jpeg",
                Files.readAllBytes(SAMPLES.resolve(ReceiptJourneyIT.YOGA_FILE)));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(ingest.url("/api/batches"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        JsonNode batch = JSON.readTree(upload.body());
        String batchId = batch.get("batchId").asText();
        String receiptId = batch.get("accepted").get(0).get("receiptId").asText();

        // … it ends FAILED and lands in receipts-dlq
        await("FAILED").atMost(Duration.ofMinutes(2)).until(() -> "FAILED".equals(stage(batchId)));
        await("listed by ./ranger dlq list").atMost(Duration.ofSeconds(30))
                .until(() -> ranger("dlq", "list", "--topic", "receipts-dlq").contains(receiptId));
        String listed = ranger("dlq", "list", "--receipt", receiptId);
        assertThat(listed).contains("receipts-dlq:", batchId, "extractor", "gave up after");

        // When the provider is back and the operator replays it
        providerDown.set(false);
        String replay = ranger("dlq", "replay", "--receipt", receiptId);
        assertThat(replay).startsWith("replayed\treceipts-dlq:");

        // Then it goes the normal way and ends WRITTEN, with one row in the sheet
        await("WRITTEN after the replay").atMost(Duration.ofMinutes(2)).until(() -> "WRITTEN".equals(stage(batchId)));
        await("the row").atMost(Duration.ofSeconds(30)).until(() -> sheets.tabs(SPREADSHEET_ID).contains("October 2025"));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "October 2025")).containsExactly(
                List.of("Amount", "Date", "", "Vendor", "Category"), YOGA_ROW);

        // And replaying it again is refused: the receipt has moved on
        assertThat(ranger("dlq", "replay", "--receipt", receiptId)).startsWith("skipped\t").contains("already reached WRITTEN");

        // And even its record sent to receipts again by hand (or redelivered) writes no second row
        ConsumerRecord<String, String> original = TopicReader.readAll(kafka.bootstrapServers(), "receipts").stream()
                .filter(r -> receiptId.equals(r.key())).findFirst().orElseThrow();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()))) {
            producer.send(new ProducerRecord<>("receipts", receiptId, original.value())).get(30, TimeUnit.SECONDS);
        }
        await("the sink re-published WRITTEN for the redelivery").atMost(Duration.ofMinutes(1)).until(() ->
                TopicReader.readAll(kafka.bootstrapServers(), "receipt-status").stream()
                        .filter(r -> receiptId.equals(r.key()) && r.value().contains("\"WRITTEN\"")).count() >= 2);
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "October 2025")).hasSize(2);
        assertThat(stage(batchId)).isEqualTo("WRITTEN");
    }

    private String stage(String batchId) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(ingest.url("/api/batches/" + batchId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body()).path("receipts").path(0).path("stage").asText();
    }

    /** Runs {@code ./ranger} against the test's ingest and returns what it printed. */
    private static String ranger(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(ServiceProcess.REPO.resolve("ranger").toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("RANGER_INGEST_URL", ingest.baseUrl());
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        return out;
    }

    /** 503 while {@link #providerDown}, then a perfect reading of the yoga receipt. */
    static final class DownThenUp implements ResponseDefinitionTransformerV2 {
        static final String NAME = "down-then-up";

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            if (providerDown.get()) {
                return ResponseDefinitionBuilder.responseDefinition().withStatus(503)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}").build();
            }
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200).withHeader("Content-Type", "application/json")
                    .withBody(ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.YOGA_READING)).build();
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }
}
