package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * One batch of two receipt photos, uploaded as a browser does, travels through the three
 * packaged services on one real Kafka broker: ingest → receipts → extractor (fake OpenAI) →
 * extractions → sheets-sink (fake Google Sheets) → receipt-status → the browser's WebSocket.
 */
class ReceiptJourneyIT {

    private static final String SPREADSHEET_ID = "e2e-spreadsheet";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");

    // Two receipts of the sample set, with what a perfect model reads on them (samples/receipts/truth.json).
    static final String YOGA_FILE = "receipt-5423.jpg";
    static final String YOGA_READING = """
            {"isValidReceipt":true,"validationError":"","total":"167.61","subtotal":"152.51","tax":"15.10","tip":"",
             "currency":"USD","date":"10/05/2025","vendor":"PEAK YOGA STUDIO","categories":["Subscriptions & Memberships"],
             "paymentMethods":["Card"],"cardLast4":"0385","excludeFromTable":false,"exclusionReason":""}""";
    static final String PHO_FILE = "PXL_20261116_137923.jpg";
    static final String PHO_READING = """
            {"isValidReceipt":true,"validationError":"","total":"17.49","subtotal":"13.72","tax":"1.27","tip":"2.50",
             "currency":"USD","date":"10/12/2026","vendor":"PHO SAIGON HOUSE","categories":["Food & Restaurants"],
             "paymentMethods":["Card"],"cardLast4":"","excludeFromTable":false,"exclusionReason":""}""";

    private static final List<String> HEADER = List.of("Amount", "Date", "", "Vendor", "Category");
    private static final List<String> YOGA_ROW = List.of("167.61", "10/5/2025", "", "PEAK YOGA STUDIO", "Subscriptions & Memberships");
    private static final List<String> PHO_ROW = List.of("17.49", "10/12/2026", "", "PHO SAIGON HOUSE", "Food & Restaurants");

    private static WireMockServer openAi;
    private static Pipeline system;
    private static KafkaLocalProcess kafka;
    private static FakeSheets sheets;
    private static ServiceProcess ingest;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheSystem() throws Exception {
        // The model reads each receipt once; the two calls run concurrently, so the answers are
        // handed out in turn (which photo gets which answer does not matter here).
        openAi = new WireMockServer(wireMockConfig().dynamicPort()
                .extensions(new RepliesInTurn(chatCompletion(YOGA_READING), chatCompletion(PHO_READING))));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withTransformers(RepliesInTurn.NAME)));
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                .env("extractor", "OPENAI_MODEL", "gpt-5-mini").start();
        kafka = system.kafka;
        sheets = system.sheets;
        ingest = system.ingest;
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    void twoUploadedReceiptsBecomeTwoSheetRowsAndLedgerLinesWhileTheBrowserWatches() throws Exception {
        // Given two receipt photos picked in the browser
        Multipart form = new Multipart()
                .file("files", YOGA_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(YOGA_FILE)))
                .file("files", PHO_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(PHO_FILE)))
                .field("timeZone", "America/Chicago");

        // When they are uploaded
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(ingest.url("/api/batches"))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());

        // Then both are accepted, and the WebSocket shows each reaching WRITTEN, then the batch complete
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        JsonNode batch = JSON.readTree(upload.body());
        List<String> receiptIds = new ArrayList<>();
        batch.get("accepted").forEach(a -> receiptIds.add(a.get("receiptId").asText()));
        assertThat(receiptIds).hasSize(2).doesNotHaveDuplicates();
        assertThat(batch.get("rejected")).isEmpty();

        ProgressWatcher watcher = new ProgressWatcher();
        URI progress = URI.create("ws://localhost:" + ingest.port() + batch.get("progress").asText());
        WebSocket socket = http.newWebSocketBuilder().buildAsync(progress, watcher).get();
        try {
            await("both receipts WRITTEN and the batch complete").atMost(Duration.ofMinutes(2)).untilAsserted(() -> {
                assertThat(watcher.stages).as("stages seen: %s", watcher.messages)
                        .containsEntry(receiptIds.get(0), "WRITTEN")
                        .containsEntry(receiptIds.get(1), "WRITTEN");
                assertThat(watcher.types).contains("complete");
            });
        } finally {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        assertThat(watcher.types.get(0)).isEqualTo("snapshot");

        // And the spreadsheet holds one row per receipt, in its month's tab, read as a user sees it
        assertThat(sheets.tabs(SPREADSHEET_ID)).contains("October 2025", "October 2026");
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "October 2025")).containsExactly(HEADER, YOGA_ROW);
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "October 2026")).containsExactly(HEADER, PHO_ROW);

        // And the ledger's TSV, asked through the ingest, lists both in the original layout
        HttpResponse<String> tsv = http.send(HttpRequest.newBuilder(ingest.url("/api/receipts?format=tsv")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(tsv.statusCode()).isEqualTo(200);
        assertThat(tsv.body().lines().toList()).first().isEqualTo("Amount\tDate\t\tVendor\tCategory");
        assertThat(tsv.body().lines().skip(1).toList()).containsExactlyInAnyOrder(
                "167.61\t10/5/2025\t\tPEAK YOGA STUDIO\tSubscriptions & Memberships",
                "17.49\t10/12/2026\t\tPHO SAIGON HOUSE\tFood & Restaurants");

        // And every record the services put on the contract's topics follows its schema, keyed by
        // receiptId — extractions by owner, so one spreadsheet has one sink writer
        for (Map.Entry<String, String> topic : ContractSchemas.SCHEMA_OF_TOPIC.entrySet()) {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(kafka.bootstrapServers(), topic.getKey());
            assertThat(records).as(topic.getKey()).isNotEmpty();
            for (ConsumerRecord<String, String> record : records) {
                JsonNode value = JSON.readTree(record.value());
                assertThat(ContractSchemas.violations(topic.getValue(), value)).as("%s: %s", topic.getKey(), value).isEmpty();
                String key = topic.getKey().equals("extractions") ? value.get("owner").asText() : value.get("receiptId").asText();
                assertThat(record.key()).as("key of %s", value).isEqualTo(key);
            }
        }
    }

    static String chatCompletion(String reading) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-e2e").put("object", "chat.completion").put("created", 1764370800L)
                .put("model", "gpt-5-mini");
        ObjectNode choice = completion.putArray("choices").addObject();
        choice.put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", reading.replace("\n", ""));
        completion.putObject("usage").put("prompt_tokens", 1200).put("completion_tokens", 80).put("total_tokens", 1280);
        return completion.toString();
    }

    /** Answers chat completions with the given bodies in turn, safely under concurrent calls. */
    static final class RepliesInTurn implements ResponseDefinitionTransformerV2 {
        static final String NAME = "replies-in-turn";
        private final List<String> bodies;
        private final AtomicInteger next = new AtomicInteger();

        RepliesInTurn(String... bodies) {
            this.bodies = List.of(bodies);
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String body = bodies.get(next.getAndIncrement() % bodies.size());
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(body).build();
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

    /** Collects the progress messages of one batch, as the page does. */
    static final class ProgressWatcher implements WebSocket.Listener {
        final Map<String, String> stages = new ConcurrentHashMap<>();
        final List<String> types = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                messages.add(text);
                try {
                    JsonNode message = JSON.readTree(text);
                    types.add(message.path("type").asText());
                    if (message.has("receipts")) {
                        message.get("receipts").forEach(r -> stages.put(r.get("receiptId").asText(), r.get("stage").asText()));
                    }
                    if ("status".equals(message.path("type").asText())) {
                        stages.put(message.get("receiptId").asText(), message.get("stage").asText());
                    }
                } catch (Exception e) {
                    types.add("unreadable: " + text);
                }
            }
            webSocket.request(1);
            return null;
        }
    }
}
