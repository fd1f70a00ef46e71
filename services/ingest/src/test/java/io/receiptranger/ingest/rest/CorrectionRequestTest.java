package io.receiptranger.ingest.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.time.LocalDate;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.history.CorrectionPublisher;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

/**
 * A correction the owner typed wrong, or of a receipt that is not theirs, gets a 4xx sentence and
 * nothing is published; a good one is published as a {@code ReceiptCorrected} for the caller.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = LedgerStub.class, restrictToAnnotatedClass = true)
class CorrectionRequestTest {

    static final String WRITTEN = """
            {"receipt":{"receiptId":"r-1","batchId":"b-1","owner":"default","amount":"12.00","currency":"EUR","date":"2026-01-20",
             "vendor":"Cafe","categories":["Other"],"tab":"January 2026","row":2,"state":"WRITTEN","lastChange":null},
             "history":[],"pending":null}""";

    @Inject
    @Any
    InMemoryConnector connector;

    InMemorySink<String> published;

    @BeforeEach
    void reset() {
        LedgerStub.server.resetAll();
        LedgerStub.server.stubFor(get(urlEqualTo("/api/receipts/r-1?owner=default")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(WRITTEN)));
        LedgerStub.server.stubFor(get(urlEqualTo("/api/receipts/r-theirs?owner=default")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":404}")));
        published = connector.sink(CorrectionPublisher.CHANNEL);
        published.clear();
    }

    void refused(String body, int status, String sentence) {
        given().contentType("application/json").body(body).post("/api/receipts/r-1/corrections").then().statusCode(status)
                .contentType("application/problem+json").body("detail", startsWith(sentence));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aDateInTheFutureIsRefused() {
        String tomorrow = LocalDate.now(java.time.ZoneId.of("Pacific/Kiritimati")).plusDays(1).toString();
        refused("{\"date\":\"" + tomorrow + "\",\"timeZone\":\"Pacific/Kiritimati\"}", 400,
                "The date " + tomorrow + " is in the future; a receipt's date is today or earlier.");
    }

    @Test
    void anAmountThatIsNotANumberIsRefused() {
        refused("{\"amount\":\"12,5 euros\"}", 400, "The amount \"12,5 euros\" is not a number; write it like 25.50.");
        refused("{\"amount\":\"1e9\"}", 400, "The amount \"1e9\" is not a number");
    }

    @Test
    void aCategoryOutsideTheTwentyThreeIsRefused() {
        refused("{\"categories\":[\"Snacks\"]}", 400, "\"Snacks\" is not a category. Choose from: Food & Restaurants, Groceries");
    }

    @Test
    void nothingToChangeIsRefused() {
        refused("{}", 400, "Say what to change");
    }

    @Test
    void anotherOwnersReceiptAnswersLikeAnUnknownOne() {
        given().contentType("application/json").body("{\"amount\":\"1.00\"}").post("/api/receipts/r-theirs/corrections").then()
                .statusCode(404).body("detail", equalTo("There is no receipt r-theirs."));
        given().delete("/api/receipts/r-theirs").then().statusCode(404).body("detail", equalTo("There is no receipt r-theirs."));
        given().get("/api/receipts/r-theirs").then().statusCode(404).body("detail", equalTo("There is no receipt r-theirs."));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aReceiptNotHeldForReviewCannotBeAccepted() {
        given().contentType("application/json").body("{}").post("/api/receipts/r-1/accept").then().statusCode(409)
                .body("detail", equalTo("This receipt cannot be accepted: it is already written."));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aGoodCorrectionIsPublishedForTheCallerAndAnswered202UntilTheSinkSettlesIt() {
        given().contentType("application/json").body("{\"amount\":\"15.5\",\"categories\":[\"groceries\"]}")
                .post("/api/receipts/r-1/corrections").then().statusCode(202).body("outcome", equalTo("PENDING"));

        assertThat(published.received()).hasSize(1);
        String event = published.received().get(0).getPayload();
        assertThat(event).contains("\"receiptId\":\"r-1\"", "\"owner\":\"default\"", "\"by\":\"default\"", "\"action\":\"CORRECT\"",
                "\"amount\":\"15.50\"", "\"categories\":[\"Groceries\"]", "\"vendor\":null");
    }
}
