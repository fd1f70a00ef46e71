package io.receiptranger.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/** Upload → Kafka → views → API and WebSocket, on a real broker; the test plays extractor and sink. */
@QuarkusTest
@QuarkusTestResource(value = KafkaLocalResource.class, restrictToAnnotatedClass = true)
class IngestKafkaIT {

    static final String JPEG = "receipt-5423.jpg";
    static final String PNG = "IMG_1097.png";
    static final String EXTRACTED = """
            {"receiptId":"%s","batchId":"%s","owner":"default","fileName":"receipt-5423.jpg","sha256":"x",
             "outcome":"EXTRACTED","reason":"","receipt":{"total":"167.61","subtotal":"152.51","tax":"15.10","tip":null,
             "currency":"USD","date":"2025-10-05","vendor":"PEAK YOGA STUDIO","categories":["Subscriptions & Memberships"],
             "paymentMethods":["Card"],"cardLast4":"0385"},"checks":{"arithmetic":"OK","dateRetried":false},
             "model":"gpt-5-mini","promptVersion":"1","attempts":1,"extractedAt":"2026-11-28T22:00:04Z","futureField":1}""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ObjectMapper json;

    @Inject
    io.receiptranger.ingest.view.BatchViews views;

    KafkaTestClient kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterEach
    void disconnect() {
        kafka.close();
    }

    static String status(String receiptId, String batchId, String stage, String service) {
        return """
                {"receiptId":"%s","batchId":"%s","stage":"%s","detail":"%s by the test","service":"%s","at":"2026-11-28T22:00:05Z"}"""
                .formatted(receiptId, batchId, stage, stage.toLowerCase(), service);
    }

    @Test
    void anUploadReachesKafkaAndProgressReachesTheApiAndTheWebSocket() throws Exception {
        // Given an upload of two receipts
        Response upload = given().contentType("multipart/form-data")
                .multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("files", PNG, TestFiles.bytes(PNG), "image/png")
                .post("/api/batches");
        upload.then().statusCode(202);
        String batchId = upload.path("batchId");
        String first = upload.path("accepted[0].receiptId");
        String second = upload.path("accepted[1].receiptId");

        // Then both are on `receipts`, each with RECEIVED then QUEUED on `receipt-status`
        List<JsonNode> submitted = kafka.readAll("receipts").stream().map(r -> read(r.value()))
                .filter(n -> batchId.equals(n.path("batchId").asText())).toList();
        assertThat(submitted).extracting(n -> n.get("receiptId").asText()).containsExactlyInAnyOrder(first, second);
        assertThat(kafka.readAll("receipts").stream().filter(r -> r.key().equals(first))).hasSize(1);
        List<JsonNode> statuses = kafka.readAll("receipt-status").stream().map(r -> read(r.value()))
                .filter(n -> first.equals(n.path("receiptId").asText())).toList();
        assertThat(statuses).extracting(n -> n.get("stage").asText()).containsExactly("RECEIVED", "QUEUED");
        assertThat(statuses).allSatisfy(n -> assertThat(n.get("service").asText()).isEqualTo("ingest"));

        // When a browser watches, and the extractor and the sink report (with some noise on the way)
        try (WebSocketRecorder ws = WebSocketRecorder.open(URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/" + batchId))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !ws.messages.isEmpty());
            JsonNode snapshot = read(ws.messages.get(0));
            assertThat(snapshot.get("type").asText()).isEqualTo("snapshot");
            assertThat(snapshot.get("receipts")).hasSize(2);

            kafka.send("receipt-status", first, "this is not JSON");
            kafka.send("receipt-status", first, status(first, batchId, "EXTRACTING", "extractor"));
            kafka.send("extractions", first, EXTRACTED.formatted(first, batchId));
            kafka.send("receipt-status", first, status(first, batchId, "EXTRACTED", "extractor"));
            kafka.send("receipt-status", first, status(first, batchId, "WRITING", "sheets-sink"));
            kafka.send("receipt-status", first, status(first, batchId, "WRITTEN", "sheets-sink"));
            kafka.send("receipt-status", first, status(first, batchId, "EXTRACTING", "extractor"));
            kafka.send("receipt-status", second, status(second, batchId, "NOT_A_RECEIPT", "extractor"));

            // Then the WebSocket tells it as it happens and ends with complete
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ws.messages)
                    .anySatisfy(m -> assertThat(read(m).path("type").asText()).isEqualTo("complete")));
            List<JsonNode> messages = ws.messages.stream().map(this::read).toList();
            assertThat(messages.get(messages.size() - 1).get("type").asText()).isEqualTo("complete");
            assertThat(messages).filteredOn(m -> "status".equals(m.path("type").asText()))
                    .anySatisfy(m -> {
                        assertThat(m.path("receiptId").asText()).isEqualTo(first);
                        assertThat(m.path("receipt").path("vendor").asText()).isEqualTo("PEAK YOGA STUDIO");
                    });
            assertThat(messages).filteredOn(m -> first.equals(m.path("receiptId").asText()))
                    .extracting(m -> m.get("stage").asText()).endsWith("WRITTEN");
        }

        // And the API shows the batch complete, stages that never went back, the fields, the export
        given().get("/api/batches/" + batchId).then().statusCode(200)
                .body("complete", equalTo(true))
                .body("receipts[0].stage", equalTo("WRITTEN"))
                .body("receipts[0].outcome", equalTo("EXTRACTED"))
                .body("receipts[0].receipt.total", equalTo("167.61"))
                .body("receipts[1].stage", equalTo("NOT_A_RECEIPT"));
        String tsv = given().get("/api/batches/" + batchId + "/export?format=tsv").then().statusCode(200).extract().asString();
        assertThat(tsv).isEqualTo("Amount\tDate\t\tVendor\tCategory\n167.61\t10/5/2025\t\tPEAK YOGA STUDIO\tSubscriptions & Memberships\n");

        // And the closed socket no longer watches the batch
        await().atMost(Duration.ofSeconds(10)).until(() -> views.watchers(batchId) == 0);

        // And a reconnect gets a fresh snapshot that is already complete
        try (WebSocketRecorder again = WebSocketRecorder.open(URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/" + batchId))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> again.messages.size() >= 2);
            assertThat(read(again.messages.get(0)).get("complete").asBoolean()).isTrue();
            assertThat(read(again.messages.get(1)).get("type").asText()).isEqualTo("complete");
        }
    }

    @Test
    void aBatchKnownOnlyFromKafkaIsServedEvenToASocketOpenedBeforeItArrived() throws Exception {
        // Given a browser watching a batch this replica has not seen yet (its upload went to another replica)
        try (WebSocketRecorder ws = WebSocketRecorder.open(URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/b-outside"))) {

            // When an outside producer's receipt with that batch id, and its status, arrive
            kafka.send("receipts", "outside-1", """
                    {"receiptId":"outside-1","batchId":"b-outside","source":"kafka","image":{"base64":"AAAA"}}""");
            kafka.send("receipt-status", "outside-1", status("outside-1", "b-outside", "EXTRACTING", "extractor"));

            // Then the view knows it, and the socket gets its snapshot instead of "unknown"
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().get("/api/batches/b-outside")
                    .then().statusCode(200).body("receipts[0].stage", equalTo("EXTRACTING")));
            await().atMost(Duration.ofSeconds(10)).until(() -> !ws.messages.isEmpty());
            assertThat(read(ws.messages.get(0)).get("type").asText()).isEqualTo("snapshot");
        }
    }

    @Test
    void aSocketForABatchThatNeverComesIsToldItIsUnknown() throws Exception {
        try (WebSocketRecorder ws = WebSocketRecorder.open(URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/b-never"))) {
            await().atMost(Duration.ofSeconds(15)).until(() -> !ws.messages.isEmpty());
            assertThat(read(ws.messages.get(0)).get("status").asInt()).isEqualTo(404);
        }
    }

    JsonNode read(String s) {
        try {
            return json.readTree(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
