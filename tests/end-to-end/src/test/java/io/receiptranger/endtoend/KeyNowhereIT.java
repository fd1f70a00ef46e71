package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * A user's model key is a secret (CONTRACT §2, owner-settings): a user saves their key, a whole batch
 * is read with it by the packaged extractor (its real langchain4j OpenAI client against a fake
 * provider that accepts only that key), and then every record of every topic (internal ones
 * included, keys, values and headers), the broker's files on disk, the three services' logs, their
 * metrics, every export and every answer the ingest gives are searched: the key is in none of them,
 * not even a piece of it longer than its masked hint shows.
 */
class KeyNowhereIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");
    private static final String SPREADSHEET_ID = "key-nowhere-spreadsheet";
    /** The user's key: distinctive, so any copy of it or of its middle is found. */
    private static final String USER_KEY = "sk-proj-UserOwnKey-q8Zt3Vw9Lm2Xc7Rb5Nd1Hf4Jk6-tail";
    /** The part of the key the masked hint (sk-…tail) never shows: finding it anywhere is a leak. */
    private static final String KEY_MIDDLE = "UserOwnKey-q8Zt3Vw9Lm2Xc7Rb5Nd1Hf4Jk6";
    private static final String DEPLOYMENT_KEY = "sk-deployment-key-not-for-this-owner";
    private static final String RING = "e2e-2026:" + Base64.getEncoder().encodeToString(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    private static Pipeline system;
    private static KafkaLocalProcess kafka;
    private static WireMockServer openAi;
    private static FakeSheets sheets;
    private static Path blobs;
    private static ServiceProcess ingest;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void startTheSystem() throws Exception {
        // The provider answers only the user's key; the receipts' calls (with an image) get the readings in turn.
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(new ReceiptJourneyIT.RepliesInTurn(
                ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.YOGA_READING), ReceiptJourneyIT.chatCompletion(ReceiptJourneyIT.PHO_READING))));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(9).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\"}}")));
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(5).withHeader("Authorization", equalTo("Bearer " + USER_KEY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody(ReceiptJourneyIT.chatCompletion("OK"))));
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).atPriority(1).withHeader("Authorization", equalTo("Bearer " + USER_KEY))
                .withRequestBody(containing("image_url")).willReturn(aResponse().withTransformers(ReceiptJourneyIT.RepliesInTurn.NAME)));
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                .everywhere("RANGER_KEY_ENCRYPTION_KEYS", RING)
                // The deployment has a key of its own, which this owner may not use: a receipt read at all was read with the user's key.
                .env("extractor", "OPENAI_API_KEY", DEPLOYMENT_KEY)
                .env("extractor", "RANGER_DEPLOYMENT_KEY_OWNERS", "none")
                .env("ingest", "RANGER_SETTINGS_ALLOW_PLAIN_HTTP", "true")
                .start();
        kafka = system.kafka;
        sheets = system.sheets;
        blobs = system.blobs;
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
    void aBatchReadWithTheUsersKeyLeavesTheKeyInNoRecordLogMetricOrExport() throws Exception {
        // Given a user who saved their own key (tested with one call first)
        HttpResponse<String> saved = send("PUT", "/api/settings/model-key", """
                {"apiKey":"%s","baseUrl":"%s/v1/","model":"gpt-5-mini"}""".formatted(USER_KEY, openAi.baseUrl()));
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        assertThat(JSON.readTree(saved.body()).path("keyHint").asText()).isEqualTo("sk-…tail");

        // When they upload a batch of two receipts and it is read and written
        Multipart form = new Multipart()
                .file("files", ReceiptJourneyIT.YOGA_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(ReceiptJourneyIT.YOGA_FILE)))
                .file("files", ReceiptJourneyIT.PHO_FILE, "image/jpeg", Files.readAllBytes(SAMPLES.resolve(ReceiptJourneyIT.PHO_FILE)));
        HttpResponse<String> upload = http.send(HttpRequest.newBuilder(ingest.url("/api/batches"))
                .header("Content-Type", form.contentType()).POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(upload.statusCode()).as(upload.body()).isEqualTo(202);
        JsonNode accepted = JSON.readTree(upload.body());
        String batchId = accepted.get("batchId").asText();
        await("both receipts WRITTEN").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode batch = JSON.readTree(get("/api/batches/" + batchId).body());
            List<String> stages = new ArrayList<>();
            batch.path("receipts").forEach(r -> stages.add(r.path("stage").asText()));
            assertThat(stages).as(batch.toString()).containsExactly("WRITTEN", "WRITTEN");
        });

        // Then the provider saw the user's key on every receipt's call (the deployment's key was never sent)
        assertThat(openAi.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + USER_KEY)).withRequestBody(containing("image_url")))).hasSize(2);
        assertThat(openAi.findAll(postRequestedFor(urlPathEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", equalTo("Bearer " + DEPLOYMENT_KEY)))).isEmpty();

        // And every record of every topic, keys, values and headers, holds no copy of it
        Map<String, Integer> read = new LinkedHashMap<>();
        for (String topic : topics()) {
            List<ConsumerRecord<byte[], byte[]>> records = readAll(topic);
            read.put(topic, records.size());
            for (ConsumerRecord<byte[], byte[]> r : records) {
                String where = topic + "@" + r.partition() + ":" + r.offset();
                assertNoKey(where + " key", r.key());
                assertNoKey(where + " value", r.value());
                for (Header h : r.headers()) {
                    assertNoKey(where + " header " + h.key(), h.value());
                }
            }
        }
        assertThat(read).as("records read per topic").containsKeys("receipts", "extractions", "receipt-status", "owner-settings",
                "sheets-ledger", "__consumer_offsets");
        assertThat(read.get("owner-settings")).isPositive();
        assertThat(read.get("extractions")).isEqualTo(2);

        // And neither do the broker's files on disk (every segment, index and checkpoint)
        try (Stream<Path> files = Files.walk(kafka.dataDir())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoKey("broker file " + file, Files.readAllBytes(file));
            }
        }

        // Nor the three services' logs, nor their metrics
        for (ServiceProcess service : system.services()) {
            String log = String.join("\n", service.logLines());
            assertThat(log).as("a log line of a service").isNotEmpty();
            assertNoKey("log of a service", log.getBytes(StandardCharsets.UTF_8));
            HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertNoKey("metrics of a service", metrics.body().getBytes(StandardCharsets.UTF_8));
        }

        // Nor any export or answer the user can get: the batch and its exports, the ledger and its
        // exports, the summary, the settings, each receipt, the ops view
        List<String> paths = new ArrayList<>(List.of("/api/batches/" + batchId, "/api/settings", "/api/summary?month=2025-10",
                "/api/receipts/totals", "/api/duplicates", "/api/me", "/api/ops/summary", "/api/ops/dead-letters"));
        for (String format : List.of("tsv", "csv", "json")) {
            paths.add("/api/batches/" + batchId + "/export?format=" + format);
            paths.add("/api/receipts?format=" + format);
        }
        for (JsonNode a : accepted.get("accepted")) {
            paths.add("/api/receipts/" + a.get("receiptId").asText());
        }
        for (String path : paths) {
            HttpResponse<String> answer = get(path);
            assertThat(answer.statusCode()).as(path).isEqualTo(200);
            assertNoKey("GET " + path, answer.body().getBytes(StandardCharsets.UTF_8));
        }
        assertThat(get("/api/receipts?format=tsv").body()).contains("PEAK YOGA STUDIO", "PHO SAIGON HOUSE");

        // Nor the spreadsheet, nor the stored images
        for (String tab : sheets.tabs(SPREADSHEET_ID)) {
            assertNoKey("sheet tab " + tab, sheets.formattedRows(SPREADSHEET_ID, tab).toString().getBytes(StandardCharsets.UTF_8));
        }
        try (Stream<Path> files = Files.walk(blobs)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertNoKey("blob " + file.getFileName(), Files.readAllBytes(file));
            }
        }

        // And a wrong key is refused with a sentence that does not repeat it
        HttpResponse<String> refused = send("PUT", "/api/settings/model-key", """
                {"apiKey":"%s-wrong","baseUrl":"%s/v1/"}""".formatted(USER_KEY, openAi.baseUrl()));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertNoKey("the refusal", refused.body().getBytes(StandardCharsets.UTF_8));
        assertNoKey("log of the ingest after the refusal", String.join("\n", ingest.logLines()).getBytes(StandardCharsets.UTF_8));
    }

    /** Neither the key nor its hidden middle, in UTF-8, in the given bytes. */
    private static void assertNoKey(String where, byte[] bytes) {
        if (bytes == null) {
            return;
        }
        assertThat(indexOf(bytes, USER_KEY.getBytes(StandardCharsets.UTF_8))).as("the key in %s", where).isEqualTo(-1);
        assertThat(indexOf(bytes, KEY_MIDDLE.getBytes(StandardCharsets.UTF_8))).as("the key's middle in %s", where).isEqualTo(-1);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static List<String> topics() throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get().stream().sorted().toList();
        }
    }

    /** The whole topic as it is now, as bytes (no deserializer to hide anything). */
    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
            return records;
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(ingest.url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String method, String path, String json) {
        try {
            return http.send(HttpRequest.newBuilder(ingest.url(path)).header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
