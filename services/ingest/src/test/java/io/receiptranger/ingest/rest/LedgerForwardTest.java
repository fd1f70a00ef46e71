package io.receiptranger.ingest.rest;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.http.Fault;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;

/**
 * {@code /api/receipts} and {@code /api/summary} reach the sink unchanged but for the owner (the local
 * {@code default} here; the signed-in caller in {@code SignInTest}); a sink in trouble is a clear 5xx problem.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeSink.class, restrictToAnnotatedClass = true)
class LedgerForwardTest {

    static final String TSV = "Amount\tDate\t\tVendor\tCategory\n25.50\t1/20/2026\t\tTaco Cabana\tFood & Restaurants\n";

    @BeforeEach
    void reset() {
        FakeSink.server.resetAll();
    }

    @Test
    void receiptsAreForwardedWithQueryStatusAndContentType() {
        FakeSink.server.stubFor(get(urlEqualTo("/api/receipts?month=2026-01&format=tsv&vendor=Taco&owner=default"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/tab-separated-values")
                        .withHeader("Content-Disposition", "attachment; filename=\"receipts.tsv\"").withBody(TSV)));

        given().get("/api/receipts?month=2026-01&format=tsv&vendor=Taco").then().statusCode(200)
                .contentType(containsString("text/tab-separated-values"))
                .header("Content-Disposition", containsString("receipts.tsv"))
                .body(equalTo(TSV));
    }

    @Test
    void aLookupOfHashesIsAskedForTheCallersOwnerWhateverTheClientSays() {
        String hashes = "{\"sha256\":[\"" + "a".repeat(64) + "\"]}";
        String found = "{\"found\":[{\"sha256\":\"" + "a".repeat(64) + "\",\"state\":\"WRITTEN\"}]}";
        FakeSink.server.stubFor(post(urlEqualTo("/api/receipts/lookup?owner=default")).withRequestBody(equalToJson(hashes))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(found)));

        given().contentType("application/json").body(hashes).post("/api/receipts/lookup?owner=someone-else").then().statusCode(200)
                .body("found[0].state", equalTo("WRITTEN"));
        FakeSink.server.verify(1, postRequestedFor(urlEqualTo("/api/receipts/lookup?owner=default")));
    }

    @Test
    void aLookupTooLargeOrEmptyIsRefusedWithASentence() {
        given().contentType("application/json").body("{\"sha256\":[\"" + "a".repeat(200_000) + "\"]}")
                .post("/api/receipts/lookup").then().statusCode(413).contentType("application/problem+json")
                .body("detail", containsString("at most 1000 hashes"));
        given().contentType("application/json").post("/api/receipts/lookup").then().statusCode(400)
                .contentType("application/problem+json");
        FakeSink.server.verify(0, postRequestedFor(urlEqualTo("/api/receipts/lookup?owner=default")));
    }

    @Test
    void duplicatesAreAskedForTheCallersOwner() {
        FakeSink.server.stubFor(get(urlEqualTo("/api/duplicates?owner=default"))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]")));

        given().get("/api/duplicates?owner=mallory").then().statusCode(200).body(equalTo("[]"));
    }

    @Test
    void theSinksOwnErrorsPassThrough() {
        FakeSink.server.stubFor(get(urlEqualTo("/api/summary?month=nope&owner=default")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/problem+json").withBody("{\"status\":400,\"detail\":\"month must be YYYY-MM\"}")));

        given().get("/api/summary?month=nope").then().statusCode(400)
                .contentType("application/problem+json").body("detail", equalTo("month must be YYYY-MM"));
    }

    @Test
    void aBrokenSinkIsA502ProblemWithASentence() {
        FakeSink.server.stubFor(get(urlEqualTo("/api/summary?owner=default")).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        given().get("/api/summary").then().statusCode(502).contentType("application/problem+json")
                .body("detail", containsString("ledger service"));
    }

    @Test
    void aSlowSinkIsA504Problem() {
        FakeSink.server.stubFor(get(urlEqualTo("/api/receipts?owner=default")).willReturn(aResponse().withFixedDelay(15000).withStatus(200)));

        given().get("/api/receipts").then().statusCode(504).contentType("application/problem+json");
    }
}
