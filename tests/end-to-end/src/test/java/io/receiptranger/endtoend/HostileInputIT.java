package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
 * Issue 10's attacks against the packaged services, each with its production JVM flags and heap
 * (the container's {@code -XX:MaxRAMPercentage} of its Kubernetes memory limit, and
 * {@code -XX:+ExitOnOutOfMemoryError}): each hostile file, path, criterion and record gets its
 * answer, and after each one every service is the same process (same pid) and still ready, the
 * ingest has left no file in its temporary directory, and a normal receipt uploaded next still
 * reaches WRITTEN.
 */
class HostileInputIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLE = ServiceProcess.REPO.resolve("samples/receipts/receipt-5423.jpg");
    private static final String SPREADSHEET_ID = "e2e-hostile";

    private static Pipeline system;
    private static KafkaLocalProcess kafka;
    private static WireMockServer openAi;
    private static FakeSheets sheets;
    private static final Map<ServiceProcess, Long> pids = new HashMap<>();
    private static final AtomicInteger normalUploads = new AtomicInteger();
    private static byte[] photo;
    private static ServiceProcess ingest;
    private static Path ingestTmp;

    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @BeforeAll
    static void startTheSystem() throws Exception {
        photo = Files.readAllBytes(SAMPLE);
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(new EachReceiptItsOwnTotal()));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions"))
                .willReturn(aResponse().withTransformers(EachReceiptItsOwnTotal.NAME)));

        // The ingest's own temporary directory (uploads spool there too), to see what it leaves behind.
        ingestTmp = Files.createTempDirectory("e2e-ingest-tmp");
        List<String> ingestJvm = new ArrayList<>(ProductionJvm.ingest());
        ingestJvm.add("-Djava.io.tmpdir=" + ingestTmp);
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                .jvm("sheets-sink", ProductionJvm.of("sheets-sink"))
                .jvm("extractor", ProductionJvm.of("extractor"))
                .jvm("ingest", ingestJvm)
                .env("ingest", "QUARKUS_HTTP_BODY_UPLOADS_DIRECTORY", ingestTmp.resolve("uploads").toString())
                .start();
        kafka = system.kafka;
        sheets = system.sheets;
        ingest = system.ingest;
        for (ServiceProcess service : system.services()) {
            pids.put(service, service.pid());
        }
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

    /** After every attack: the same processes, ready, nothing left in the ingest's temp dir, and a normal receipt still WRITTEN. */
    @AfterEach
    void theServicesAreUnharmed() throws Exception {
        for (ServiceProcess service : system.services()) {
            assertThat(service.alive()).as("%s is running:\n%s", service.name(), service.tail()).isTrue();
            assertThat(service.pid()).as("%s's pid", service.name()).isEqualTo(pids.get(service));
            assertThat(service.status("/q/health/ready")).as("%s ready", service.name()).isEqualTo(200);
        }

        JsonNode batch = upload(new Multipart().file("files", "normal.jpg", "image/jpeg", normalPhoto()), "/api/batches");
        assertThat(batch.path("accepted")).hasSize(1);
        awaitStage(batch.get("batchId").asText(), "WRITTEN");

        await("no file left in the ingest's temporary directory").atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(filesIn(ingestTmp)).isEmpty());
    }

    @Test
    void aTiffOfFourFloatChannelsIsRefusedByTheDecodeBudget() throws Exception {
        byte[] tiff = Bombs.floatTiff(6320, 6320);
        assertThat(tiff.length).isLessThan(1 << 20);

        HttpResponse<String> answer = send(new Multipart().file("files", "bomb.tiff", "image/tiff", tiff), "/api/batches", null);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("image is 6320×6320 pixels of 16 bytes each, 610 MiB decoded; the limit is 160 MiB");
    }

    @Test
    void aPdfHoldingA16000PixelImageIsRefusedBeforeRendering() throws Exception {
        byte[] pdf = Bombs.pdfWithImage(16000, 16000);
        assertThat(pdf.length).isLessThan(1 << 20);

        HttpResponse<String> answer = send(new Multipart().file("files", "bomb.pdf", "application/pdf", pdf), "/api/batches", null);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("page 1 of the PDF holds an image too large to read: image is 16000×16000 pixels");
    }

    @Test
    void a40MegapixelPngOf16BitChannelsIsRefusedByItsDecodedBytes() throws Exception {
        byte[] png = Bombs.png16(8000, 5000);
        assertThat(png.length).isLessThan(1 << 20);

        HttpResponse<String> answer = send(new Multipart().file("files", "bomb.png", "image/png", png), "/api/batches", null);

        assertThat(answer.statusCode()).isEqualTo(422);
        assertThat(answer.body()).contains("image is 8000×5000 pixels of 8 bytes each, 306 MiB decoded");
    }

    @Test
    void aHeicOf600ImagesIsReadForItsPrimaryImageOnly() throws Exception {
        byte[] heic = Bombs.manyImageHeic(dir, 600);

        JsonNode batch = upload(new Multipart().file("files", "many.heic", "image/heic", heic), "/api/batches");

        assertThat(batch.path("accepted")).hasSize(1);
        awaitStage(batch.get("batchId").asText(), "WRITTEN");
    }

    @Test
    void aMatrixParameterDoesNotSkipTheOriginCheck() throws Exception {
        Multipart form = new Multipart().file("files", "r.jpg", "image/jpeg", normalPhoto());

        HttpResponse<String> answer = send(form, "/api/batches;x=1", "https://evil.example");

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    }

    @Test
    void criteriaMadeToBacktrackAreScreenedAtOnceAndTheReceiptIsWritten() throws Exception {
        String criteria = "send" + " ".repeat(1995) + "x";
        Multipart form = new Multipart().file("files", "r.jpg", "image/jpeg", normalPhoto())
                .field("exclusionCriteria", criteria);

        JsonNode batch = upload(form, "/api/batches");

        awaitStage(batch.get("batchId").asText(), "WRITTEN");
    }

    @Test
    void aDecompressionBombSentInlineOnKafkaEndsFailedInTheExtractor() throws Exception {
        // A producer's record with the 16-bit PNG inline: the extractor checks it against its budget
        ObjectNode record = JSON.createObjectNode().put("receiptId", "r-e2e-inline-bomb").put("batchId", "b-e2e-inline-bomb")
                .put("fileName", "bomb.png").put("contentType", "image/png");
        record.putObject("image").put("base64", Base64.getEncoder().encodeToString(Bombs.png16(8000, 5000)));

        publish("receipts", "r-e2e-inline-bomb", record.toString());

        awaitFailed("r-e2e-inline-bomb", "8000×5000 pixels of 8 bytes each, 306 MiB decoded");
    }

    @Test
    void criteriaLongerThan2000CharactersFromKafkaEndFailed() throws Exception {
        ObjectNode record = JSON.createObjectNode().put("receiptId", "r-e2e-long-criteria").put("batchId", "b-e2e-long-criteria")
                .put("fileName", "r.jpg").put("contentType", "image/jpeg").put("exclusionCriteria", "x".repeat(100_000));
        record.putObject("image").put("base64", Base64.getEncoder().encodeToString(normalPhoto()));

        publish("receipts", "r-e2e-long-criteria", record.toString());

        awaitFailed("r-e2e-long-criteria", "The exclusion criteria are 100000 characters long; at most 2000 are accepted.");
    }

    @Test
    void anExponentAmountOnKafkaEndsThatReceiptFailedWithAReason() throws Exception {
        String record = """
                {"receiptId":"r-e2e-exponent","batchId":"b-e2e-exponent","owner":"default","fileName":"x.jpg","sha256":"00",
                 "outcome":"EXTRACTED","reason":"","receipt":{"total":"1e999999999","subtotal":null,"tax":null,"tip":null,
                 "currency":"USD","date":"2026-01-20","vendor":"Shop","categories":["Other"],"paymentMethods":["Card"],
                 "cardLast4":null},"model":"gpt-5-mini","promptVersion":"1","attempts":1,"extractedAt":"%s"}"""
                .formatted(Instant.now());  // a batch at rest for longer than the views' retention is let go at once
        publish("extractions", "default", record);

        // The ingest shows it FAILED with the reason (not a 500), and the sink publishes FAILED for it
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpResponse<String> view = http.send(HttpRequest.newBuilder(ingest.url("/api/batches/b-e2e-exponent")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            JsonNode receipt = JSON.readTree(view.body()).at("/receipts/0");
            assertThat(receipt.path("stage").asText()).isEqualTo("FAILED");
            assertThat(receipt.toString()).contains("is not a plain decimal amount such as 25.50");
        });
        awaitFailed("r-e2e-exponent", "not a plain decimal amount");
    }

    /** A photo of a receipt no earlier upload sent (bytes after the JPEG's end), so it is never a DUPLICATE. */
    private static byte[] normalPhoto() {
        byte[] unique = (" hostile-" + normalUploads.incrementAndGet() + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        byte[] bytes = Arrays.copyOf(photo, photo.length + unique.length);
        System.arraycopy(unique, 0, bytes, photo.length, unique.length);
        return bytes;
    }

    private static void publish(String topic, String key, String value) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        }
    }

    /** Some service published FAILED for the receipt, with a detail that says {@code why}. */
    private static void awaitFailed(String receiptId, String why) {
        await(receiptId + " FAILED").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(TopicReader.readAll(kafka.bootstrapServers(), "receipt-status")).anySatisfy(r -> {
                    JsonNode status = JSON.readTree(r.value());
                    assertThat(status.path("receiptId").asText()).isEqualTo(receiptId);
                    assertThat(status.path("stage").asText()).isEqualTo("FAILED");
                    assertThat(status.path("detail").asText()).contains(why);
                }));
    }

    private JsonNode upload(Multipart form, String path) throws Exception {
        HttpResponse<String> answer = send(form, path, null);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        return JSON.readTree(answer.body());
    }

    private HttpResponse<String> send(Multipart form, String path, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ingest.baseUrl() + path))
                .timeout(Duration.ofMinutes(2))
                .header("Content-Type", form.contentType())
                .POST(HttpRequest.BodyPublishers.ofByteArray(form.bytes()));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void awaitStage(String batchId, String stage) {
        await(batchId + " " + stage).atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            HttpResponse<String> view = http.send(HttpRequest.newBuilder(ingest.url("/api/batches/" + batchId)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(view.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(view.body()).at("/receipts/0/stage").asText()).as(view.body()).isEqualTo(stage);
        });
    }

    private static List<Path> filesIn(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            return all.filter(Files::isRegularFile).toList();
        }
    }

    /** A fake model whose every answer has its own total, so no receipt is a duplicate of an earlier one. */
    static final class EachReceiptItsOwnTotal implements ResponseDefinitionTransformerV2 {
        static final String NAME = "each-receipt-its-own-total";
        private final AtomicInteger next = new AtomicInteger(1);

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            String total = String.format("%d.%02d", 10 + next.get() / 100, next.getAndIncrement() % 100);
            String reading = """
                    {"isValidReceipt":true,"validationError":"","total":"%s","subtotal":"","tax":"","tip":"",
                     "currency":"USD","date":"10/05/2025","vendor":"HOSTILE TEST SHOP","categories":["Other"],
                     "paymentMethods":["Card"],"cardLast4":"","excludeFromTable":false,"exclusionReason":""}""".formatted(total);
            return ResponseDefinitionBuilder.responseDefinition().withStatus(200)
                    .withHeader("Content-Type", "application/json").withBody(ReceiptJourneyIT.chatCompletion(reading)).build();
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
