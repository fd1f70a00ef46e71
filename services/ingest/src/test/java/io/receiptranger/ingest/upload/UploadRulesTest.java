package io.receiptranger.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
class UploadRulesTest {

    static final String JPEG = "receipt-5423.jpg";
    static final String PNG = "IMG_1097.png";
    static final byte[] TEXT = "this is not a receipt, only text named .jpg".getBytes(StandardCharsets.UTF_8);

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ObjectMapper json;

    InMemorySink<String> receipts;
    InMemorySink<String> statuses;

    @BeforeEach
    void clearSinks() {
        receipts = connector.sink(ReceiptPublisher.RECEIPTS_OUT);
        statuses = connector.sink(ReceiptPublisher.STATUS_OUT);
        receipts.clear();
        statuses.clear();
    }

    RequestSpecification upload() {
        return given().contentType("multipart/form-data");
    }

    @Test
    void twoGoodFilesAreAcceptedAndSentOnceEach() throws Exception {
        // When
        Response response = upload()
                .multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("files", PNG, TestFiles.bytes(PNG), "image/png")
                .multiPart("timeZone", "America/Chicago")
                .post("/api/batches");

        // Then
        response.then().statusCode(202)
                .body("batchId", notNullValue())
                .body("accepted", hasSize(2))
                .body("rejected", hasSize(0))
                .body("accepted[0].fileName", equalTo(JPEG))
                .body("accepted[0].duplicateOf", nullValue());
        String batchId = response.path("batchId");
        assertThat(response.<String>path("progress")).isEqualTo("/ws/batches/" + batchId);
        assertThat(batchId.length()).isGreaterThanOrEqualTo(2 + 22);

        assertThat(receipts.received()).hasSize(2);
        JsonNode first = json.readTree(receipts.received().get(0).getPayload());
        assertThat(first.get("batchId").asText()).isEqualTo(batchId);
        assertThat(first.get("source").asText()).isEqualTo("api");
        assertThat(first.get("timeZone").asText()).isEqualTo("America/Chicago");
        assertThat(first.get("sha256").asText()).isEqualTo("f16c94f2173c1c05cda51e1a80294ef868a4df27b3c94408cc0ba59e0a0dd003");
        assertThat(first.get("image").get("uri").asText()).startsWith("file:///");
        assertThat(statuses.received()).extracting(m -> json.readTree(m.getPayload()).get("stage").asText())
                .containsExactly("RECEIVED", "RECEIVED", "QUEUED", "QUEUED");

        given().get("/api/batches/" + batchId).then().statusCode(200)
                .body("receipts", hasSize(2))
                .body("receipts[0].stage", equalTo("QUEUED"))
                .body("complete", equalTo(false));
    }

    @Test
    void theSameBytesTwiceAreListedTwiceAndSentOnce() {
        Response response = upload()
                .multiPart("files", "a.jpg", TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("files", "b.jpg", TestFiles.bytes(JPEG), "image/jpeg")
                .post("/api/batches");

        response.then().statusCode(202).body("accepted", hasSize(2))
                .body("accepted[1].duplicateOf", equalTo("a.jpg"))
                .body("accepted[1].fileName", equalTo("b.jpg"));
        assertThat(response.<String>path("accepted[1].receiptId")).isEqualTo(response.path("accepted[0].receiptId"));
        assertThat(receipts.received()).hasSize(1);
    }

    @Test
    void aDifferentFileWithTheSameNameIsNumbered() {
        upload().multiPart("files", "r.jpg", TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("files", "r.jpg", TestFiles.bytes("receipt-15592.jpg"), "image/jpeg")
                .post("/api/batches")
                .then().statusCode(202)
                .body("accepted.fileName", equalTo(List.of("r.jpg", "r (2).jpg")));
    }

    @Test
    void aTextFileNamedJpgIsRejected415WhileTheGoodFileGoesOn() {
        upload().multiPart("files", "notes.jpg", TEXT, "image/jpeg")
                .multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .post("/api/batches")
                .then().statusCode(202)
                .body("accepted", hasSize(1))
                .body("rejected[0].fileName", equalTo("notes.jpg"))
                .body("rejected[0].status", equalTo(415))
                .body("rejected[0].error", notNullValue());
    }

    @Test
    void noFilesIs400Problem() {
        upload().multiPart("timeZone", "UTC").post("/api/batches")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("detail", notNullValue());
    }

    @Test
    void twentyOneFilesIs413() {
        RequestSpecification request = upload();
        for (int i = 0; i < 21; i++) {
            request = request.multiPart("files", "f" + i + ".jpg", TestFiles.bytes(JPEG), "image/jpeg");
        }
        request.post("/api/batches").then().statusCode(413)
                .contentType("application/problem+json")
                .body("detail", equalTo("A batch holds at most 20 files; this one has 21. Send the rest in another batch."));
        assertThat(receipts.received()).isEmpty();
    }

    @Test
    void everyFileRejectedIs422WithTheReasons() {
        upload().multiPart("files", "a.jpg", TEXT, "image/jpeg")
                .multiPart("files", "b.png", new byte[] { 1, 2, 3 }, "image/png")
                .post("/api/batches")
                .then().statusCode(422)
                .contentType("application/problem+json")
                .body("rejected", hasSize(2))
                .body("rejected[0].status", equalTo(415));
    }

    @Test
    void anInvalidTimeZoneIs400() {
        upload().multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("timeZone", "Mars/Olympus_Mons")
                .post("/api/batches")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void tooLongExclusionCriteriaAre400() {
        upload().multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .multiPart("exclusionCriteria", "x".repeat(2001))
                .post("/api/batches")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void notMultipartIs415Problem() {
        given().contentType("application/json").body("{}").post("/api/batches")
                .then().statusCode(415).contentType("application/problem+json");
    }

    @Test
    void anUnknownBatchIs404() {
        given().get("/api/batches/b-nope").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void thePageIsServedWithAContentSecurityPolicy() {
        given().get("/").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'self'"));
    }
}
