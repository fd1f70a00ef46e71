package io.receiptranger.ingest.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.io.IOException;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.blob.BlobStore;
import io.receiptranger.ingest.history.CorrectionPublisher;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

/**
 * Re-reading one of the owner's receipts: a receipt that was not written is reopened (its QUEUED
 * status with {@code "reread": true} first) and sent back to the extractor from its stored image as a
 * {@code ReceiptRereadRequested}; a written one is sent without reopening. Another owner's receipt, a
 * receipt waiting for review, one whose image is gone, or criteria too long get a 4xx sentence and
 * nothing is published. Keeping or dismissing needs a re-read waiting.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = LedgerStub.class, restrictToAnnotatedClass = true)
class RereadRequestTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static String entry(String id, String state, String reread) {
        return """
                {"receipt":{"receiptId":"%s","batchId":"b-rr","owner":"default","fileName":"%s.jpg","sha256":"%s","amount":"12.00",
                 "currency":"EUR","date":"2026-01-20","vendor":"Cafe","categories":["Other"],"tab":"January 2026","row":2,"state":"%s",
                 "detail":"","lastChange":null,"reread":%s},"history":[],"pending":null}""".formatted(id, id, "ab".repeat(32), state, reread);
    }

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    BlobStore blobs;

    InMemorySink<String> receipts;
    InMemorySink<String> statuses;
    InMemorySink<String> corrections;

    void stub(String id, int status, String body) {
        LedgerStub.server.stubFor(get(urlEqualTo("/api/receipts/" + id + "?owner=default")).willReturn(aResponse().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body)));
    }

    @BeforeEach
    void reset() throws IOException {
        LedgerStub.server.resetAll();
        stub("r-failed", 200, entry("r-failed", "FAILED", "null"));
        stub("r-written", 200, entry("r-written", "WRITTEN", "null"));
        stub("r-held", 200, entry("r-held", "REVIEW", "null"));
        stub("r-gone", 200, entry("r-gone", "FAILED", "null"));
        stub("r-offered", 200, entry("r-offered", "WRITTEN", """
                {"correctionId":"rr-1","action":"REREAD","before":{"amount":"12.00","date":"2026-01-20","vendor":"Cafe","categories":["Other"]},
                 "after":{"amount":"15.00","date":"2026-01-20","vendor":"Cafe","categories":["Other"]},"outcome":"OFFERED","detail":"Read again"}"""));
        stub("r-theirs", 404, "{\"status\":404}");
        for (String id : new String[] { "r-failed", "r-written", "r-held", "r-offered" }) {
            blobs.put("b-rr/" + id + "/image.jpg", new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF }, "image/jpeg");
        }
        receipts = connector.sink(ReceiptPublisher.RECEIPTS_OUT);
        statuses = connector.sink(ReceiptPublisher.STATUS_OUT);
        corrections = connector.sink(CorrectionPublisher.CHANNEL);
        receipts.clear();
        statuses.clear();
        corrections.clear();
    }

    void nothingPublished() {
        assertThat(receipts.received()).isEmpty();
        assertThat(statuses.received()).isEmpty();
        assertThat(corrections.received()).isEmpty();
    }

    @Test
    void aFailedReceiptIsReopenedThenSentBackToTheExtractorFromItsStoredImage() throws Exception {
        given().contentType("application/json").body("{\"timeZone\":\"Europe/Paris\"}").post("/api/receipts/r-failed/reread").then()
                .statusCode(202).body("outcome", equalTo("PENDING")).body("rereadId", startsWith("rr-"));

        assertThat(statuses.received()).singleElement().satisfies(m -> {
            JsonNode s = readTree(m.getPayload());
            assertThat(s.path("stage").asText()).isEqualTo("QUEUED");
            assertThat(s.path("reread").asBoolean()).isTrue();
            assertThat(s.path("receiptId").asText()).isEqualTo("r-failed");
        });
        assertThat(receipts.received()).singleElement().satisfies(m -> {
            JsonNode r = readTree(m.getPayload());
            assertThat(r.path("receiptId").asText()).isEqualTo("r-failed");
            assertThat(r.path("owner").asText()).isEqualTo("default");
            assertThat(r.path("rereadId").asText()).startsWith("rr-");
            assertThat(r.path("image").path("uri").asText()).startsWith("file:").endsWith("/b-rr/r-failed/image.jpg");
            assertThat(r.path("timeZone").asText()).isEqualTo("Europe/Paris");
            assertThat(r.has("exclusionCriteria")).isFalse();
        });
    }

    @Test
    void aWrittenReceiptIsSentWithoutBeingReopenedWithTheCriteriaGiven() throws Exception {
        given().contentType("application/json").body("{\"exclusionCriteria\":\"Exclude anything paid in cash\"}")
                .post("/api/receipts/r-written/reread").then().statusCode(202);

        assertThat(statuses.received()).isEmpty();
        assertThat(readTree(receipts.received().get(0).getPayload()).path("exclusionCriteria").asText()).isEqualTo("Exclude anything paid in cash");
    }

    @Test
    void anotherOwnersReceiptAnswersLikeAnUnknownOne() {
        given().contentType("application/json").body("{}").post("/api/receipts/r-theirs/reread").then().statusCode(404)
                .body("detail", equalTo("There is no receipt r-theirs."));
        nothingPublished();
    }

    @Test
    void aReceiptWaitingForReviewOrWhoseImageIsGoneIsRefused() {
        given().contentType("application/json").body("{}").post("/api/receipts/r-held/reread").then().statusCode(409)
                .body("detail", equalTo("This receipt cannot be read again: it is waiting for your review: accept or discard it."));
        given().contentType("application/json").body("{}").post("/api/receipts/r-gone/reread").then().statusCode(409)
                .body("detail", startsWith("The image of this receipt is no longer kept"));
        nothingPublished();
    }

    @Test
    void criteriaTooLongOrAnUnknownTimeZoneAreRefused() {
        given().contentType("application/json").body("{\"exclusionCriteria\":\"" + "x".repeat(2001) + "\"}").post("/api/receipts/r-written/reread")
                .then().statusCode(400).body("detail", equalTo("The exclusion criteria are 2001 characters long; the limit is 2000."));
        given().contentType("application/json").body("{\"timeZone\":\"Mars/Olympus\"}").post("/api/receipts/r-written/reread")
                .then().statusCode(400).body("detail", startsWith("The time zone \"Mars/Olympus\" is not one we know"));
        nothingPublished();
    }

    @Test
    void keepingOrDismissingNeedsARereadWaitingAndSendsTheChoice() throws Exception {
        given().contentType("application/json").body("{\"rereadId\":\"rr-1\"}").post("/api/receipts/r-written/reread/keep").then()
                .statusCode(409).body("detail", equalTo("There is no re-read of this receipt waiting for a choice."));
        nothingPublished();

        // Keep the new values: a correction with the field that differs
        given().contentType("application/json").body("{\"rereadId\":\"rr-1\"}").post("/api/receipts/r-offered/reread/keep").then().statusCode(202);
        JsonNode keep = readTree(corrections.received().get(0).getPayload());
        assertThat(keep.path("action").asText()).isEqualTo("CORRECT");
        assertThat(keep.path("amount").asText()).isEqualTo("15.00");
        assertThat(keep.path("vendor").isNull()).isTrue();
        // Keep the old ones: a dismissal naming the re-read
        given().contentType("application/json").body("{\"rereadId\":\"rr-1\"}").post("/api/receipts/r-offered/reread/dismiss").then().statusCode(202);
        JsonNode dismiss = readTree(corrections.received().get(1).getPayload());
        assertThat(dismiss.path("action").asText()).isEqualTo("DISMISS");
        assertThat(dismiss.path("rereadId").asText()).isEqualTo("rr-1");
    }

    @Test
    void aBatchWithoutFailedReceiptsAnswersNotFound() {
        LedgerStub.server.stubFor(get(urlEqualTo("/api/receipts?owner=default&state=FAILED&batchId=b-none")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));
        given().contentType("application/json").body("{\"batchId\":\"b-none\"}").post("/api/receipts/reread").then().statusCode(404)
                .body("detail", equalTo("There are no receipts that could not be read in batch b-none."));
        given().contentType("application/json").body("{}").post("/api/receipts/reread").then().statusCode(400);
        nothingPublished();
    }

    @Test
    void everyFailedReceiptOfABatchIsReadAgain() throws Exception {
        LedgerStub.server.stubFor(get(urlEqualTo("/api/receipts?owner=default&state=FAILED&batchId=b-rr")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json").withBody("[" + readTree(entry("r-failed", "FAILED", "null"))
                        .path("receipt") + "," + readTree(entry("r-gone", "FAILED", "null")).path("receipt") + "]")));

        given().contentType("application/json").body("{\"batchId\":\"b-rr\"}").post("/api/receipts/reread").then().statusCode(202)
                .body("rereads[0].receiptId", equalTo("r-failed")).body("skipped[0].receiptId", equalTo("r-gone"));

        assertThat(receipts.received()).hasSize(1);
        assertThat(statuses.received()).hasSize(1);
    }

    static JsonNode readTree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
