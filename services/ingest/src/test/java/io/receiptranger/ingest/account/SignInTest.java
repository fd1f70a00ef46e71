package io.receiptranger.ingest.account;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;
import io.receiptranger.ingest.WebSocketRecorder;
import io.receiptranger.ingest.rest.FakeSink;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * A deployed ingest (sign-in through {@link TestIssuer}) over HTTP: who is calling comes from a
 * verified token only; user B cannot see, export or watch user A's batch, and their ledger queries
 * reach the sink as B; bad tokens and missing identity are 401, never a 5xx; the allow-list, personal
 * tokens and the daily limit.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeSink.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
class SignInTest {

    static final String PHOTO = "receipt-66698.jpg";
    static final String UNKNOWN_BATCH = "b-00000000000000000000000000000000";

    TestIssuer issuer;

    @BeforeEach
    void reset() {
        issuer = TestIssuer.get();
        FakeSink.server.resetAll();
        FakeSink.server.stubFor(get(urlPathEqualTo("/api/receipts")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("[]")));
        FakeSink.server.stubFor(get(urlPathEqualTo("/api/summary")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"month\":\"2026-01\",\"count\":0}")));
    }

    RequestSpecification as(String email) {
        return given().auth().oauth2(issuer.token(email));
    }

    String upload(RequestSpecification who) {
        Response r = who.contentType("multipart/form-data").multiPart("files", PHOTO, TestFiles.bytes(PHOTO), "image/jpeg")
                .post("/api/batches");
        r.then().statusCode(202);
        return r.path("batchId");
    }

    @Test
    void anotherUsersBatchAnswersExactlyLikeAnUnknownOne() {
        // Given a batch of Alice's
        String batch = upload(as(TestIssuer.ALICE));
        as(TestIssuer.ALICE).get("/api/batches/" + batch).then().statusCode(200).body("batchId", equalTo(batch));
        as(TestIssuer.ALICE).get("/api/batches/" + batch + "/export?format=json").then().statusCode(200);

        // When Bob asks for it, its export, or an id that does not exist
        Response foreign = as(TestIssuer.BOB).get("/api/batches/" + batch);
        Response unknown = as(TestIssuer.BOB).get("/api/batches/" + UNKNOWN_BATCH);
        Response foreignExport = as(TestIssuer.BOB).get("/api/batches/" + batch + "/export?format=tsv");

        // Then all are the same 404, with nothing of Alice's batch in them
        assertThat(foreign.statusCode()).isEqualTo(404);
        assertThat(foreign.asString()).isEqualTo(unknown.asString()).doesNotContain(batch).doesNotContain(PHOTO);
        assertThat(foreignExport.statusCode()).isEqualTo(404);
        assertThat(foreignExport.asString()).isEqualTo(unknown.asString());
    }

    @Test
    void anotherUsersProgressSocketSaysUnknownBatch() throws Exception {
        String batch = upload(as(TestIssuer.ALICE));
        URI socket = URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/" + batch);

        try (WebSocketRecorder alice = WebSocketRecorder.open(socket, java.util.Map.of("Authorization", "Bearer " + issuer.token(TestIssuer.ALICE)));
                WebSocketRecorder bob = WebSocketRecorder.open(socket, java.util.Map.of("Authorization", "Bearer " + issuer.token(TestIssuer.BOB)))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> !alice.messages.isEmpty());
            assertThat(alice.messages.get(0)).startsWith("{\"type\":\"snapshot\"").contains(batch);
            await().atMost(Duration.ofSeconds(15)).until(() -> !bob.messages.isEmpty());
            assertThat(bob.messages).singleElement().satisfies(m -> assertThat(m).contains("\"status\":404").doesNotContain(PHOTO));
        }
    }

    @Test
    void aSocketWithoutIdentityIsRefusedBeforeItOpens() {
        URI socket = URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/" + UNKNOWN_BATCH);
        var attempt = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(socket, new WebSocket.Listener() {
        });
        assertThat(attempt).failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(java.util.concurrent.ExecutionException.class)
                .havingCause().isInstanceOfSatisfying(java.net.http.WebSocketHandshakeException.class,
                        e -> assertThat(e.getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void theLedgerIsAskedForTheVerifiedOwnerWhateverTheQuerySays() {
        // Bob asks for Alice's rows by name, twice over
        as(TestIssuer.BOB).get("/api/receipts?format=json&owner=" + TestIssuer.ALICE + "&OWNER=x&month=2026-01").then().statusCode(200);
        as(TestIssuer.BOB).get("/api/summary?month=2026-01&owner=" + TestIssuer.ALICE).then().statusCode(200);

        List<LoggedRequest> asked = FakeSink.server.findAll(getRequestedFor(WireMock.anyUrl()));
        assertThat(asked).hasSize(2).allSatisfy(r -> {
            assertThat(r.queryParameter("owner").values()).containsExactly(TestIssuer.BOB);
            assertThat(r.getUrl()).doesNotContain("alice").doesNotContain("OWNER");
        });
        assertThat(asked.get(0).queryParameter("month").firstValue()).isEqualTo("2026-01");
    }

    @Test
    void aSpoofedIdentityHeaderIsIgnored() {
        // Nobody signed in, but the headers an edge proxy would set say "Alice"
        given().header("X-Auth-Request-Email", TestIssuer.ALICE).header("X-Forwarded-User", TestIssuer.ALICE)
                .header("X-Forwarded-Email", TestIssuer.ALICE).header("X-Amzn-Oidc-Identity", TestIssuer.ALICE)
                .get("/api/me").then().statusCode(401);

        // Bob signed in, claiming to be Alice in a header: he is still Bob
        String batch = upload(as(TestIssuer.ALICE));
        as(TestIssuer.BOB).header("X-Auth-Request-Email", TestIssuer.ALICE).header("X-Forwarded-User", TestIssuer.ALICE)
                .get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.BOB)).body("operator", equalTo(false));
        as(TestIssuer.BOB).header("X-Auth-Request-Email", TestIssuer.ALICE).get("/api/batches/" + batch).then().statusCode(404);
    }

    @Test
    void noIdentityIs401ForTheApiAndASignInRedirectForThePage() {
        for (String path : List.of("/api/me", "/api/batches/" + UNKNOWN_BATCH, "/api/receipts", "/api/summary?month=2026-01", "/api/tokens")) {
            given().get(path).then().statusCode(401).contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer")).body("detail", containsString("Sign in"));
        }
        given().contentType("multipart/form-data").multiPart("files", PHOTO, TestFiles.bytes(PHOTO), "image/jpeg")
                .post("/api/batches").then().statusCode(401);
        given().redirects().follow(false).get("/").then().statusCode(302)
                .header("Location", startsWith(issuer.url() + "/authorize?"))
                .header("Location", containsString("client_id=" + TestIssuer.CLIENT_ID));
        assertThat(FakeSink.server.getAllServeEvents()).isEmpty();
        // The probes stay open for the orchestrator
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void badTokensAre401NeverAServerError() {
        for (String token : List.of(issuer.expiredToken(TestIssuer.ALICE), issuer.tokenForAnotherAudience(TestIssuer.ALICE),
                issuer.forgedToken(TestIssuer.ALICE), issuer.tokenFromAnotherIssuer(TestIssuer.ALICE),
                "not-a-jwt", "rr_this-token-was-never-made", "eyJhbGciOiJub25lIn0.eyJlbWFpbCI6ImFsaWNlQGV4YW1wbGUuY29tIn0.")) {
            Response r = given().auth().oauth2(token).get("/api/me");
            assertThat(r.statusCode()).as(token).isEqualTo(401);
            assertThat(r.asString()).doesNotContain(TestIssuer.ALICE);
        }
    }

    @Test
    void theAllowListLetsInAddressesAndDomainsAndNobodyElse() {
        as(TestIssuer.ALICE).get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.ALICE))
                .body("operator", equalTo(true)).body("via", equalTo("oidc"));
        as(TestIssuer.DAVE).get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.DAVE)).body("operator", equalTo(false));
        as("Bob@Example.com").get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.BOB));

        as(TestIssuer.CAROL).get("/api/me").then().statusCode(403).contentType("application/problem+json")
                .body("detail", containsString("does not admit"));
        as(TestIssuer.CAROL).contentType("multipart/form-data").multiPart("files", PHOTO, TestFiles.bytes(PHOTO), "image/jpeg")
                .post("/api/batches").then().statusCode(403);
        // A look-alike of an admitted domain is not that domain
        as("mallory@evilteam.example").get("/api/me").then().statusCode(403);
        as("mallory@team.example.evil").get("/api/me").then().statusCode(403);
    }

    @Test
    void aPersonalTokenIsShownOnceWorksOnTheApiAndStopsWhenRevoked() {
        // Alice (signed in) makes a token
        Response made = as(TestIssuer.ALICE).contentType("application/json").body("{\"name\":\"laptop script\"}").post("/api/tokens");
        made.then().statusCode(201).header("Cache-Control", "no-store").body("name", equalTo("laptop script"));
        String token = made.path("token");
        String id = made.path("id");
        assertThat(token).startsWith("rr_").hasSizeGreaterThan(40);

        // It is listed without its secret; Bob does not see it
        String listed = as(TestIssuer.ALICE).get("/api/tokens").then().statusCode(200).extract().asString();
        assertThat(listed).contains(id).contains("laptop script").doesNotContain(token).doesNotContain(PersonalTokens.sha256(token));
        as(TestIssuer.BOB).get("/api/tokens").then().statusCode(200).body("size()", equalTo(0));

        // It works on the API as Alice
        String batch = upload(given().auth().oauth2(token));
        given().auth().oauth2(token).get("/api/batches/" + batch).then().statusCode(200);
        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.ALICE)).body("via", equalTo("token"));
        as(TestIssuer.BOB).get("/api/batches/" + batch).then().statusCode(404);

        // A token cannot make more tokens; Bob cannot revoke Alice's
        given().auth().oauth2(token).contentType("application/json").body("{}").post("/api/tokens").then().statusCode(403);
        as(TestIssuer.BOB).delete("/api/tokens/" + id).then().statusCode(404);
        given().auth().oauth2(token).get("/api/me").then().statusCode(200);

        // Alice revokes it: from then on it is refused
        as(TestIssuer.ALICE).delete("/api/tokens/" + id).then().statusCode(204);
        given().auth().oauth2(token).get("/api/me").then().statusCode(401);
        as(TestIssuer.ALICE).get("/api/tokens").then().body("id", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem(id)));
    }

    @Test
    void overTheDailyLimitABatchIs429WithTheResetTime() {
        // Dave has sent all but one of today's receipts
        for (int i = 0; i < TestIssuer.DAILY_LIMIT - 1; i++) {
            upload(as(TestIssuer.DAVE));
        }

        // A batch of two is more than is left; one is not; then nothing is left
        Response tooMany = as(TestIssuer.DAVE).contentType("multipart/form-data")
                .multiPart("files", PHOTO, TestFiles.bytes(PHOTO), "image/jpeg")
                .multiPart("files", "IMG_1097.png", TestFiles.bytes("IMG_1097.png"), "image/png").post("/api/batches");
        upload(as(TestIssuer.DAVE));
        Response none = as(TestIssuer.DAVE).contentType("multipart/form-data")
                .multiPart("files", PHOTO, TestFiles.bytes(PHOTO), "image/jpeg").post("/api/batches");

        tooMany.then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("You have 1 of today's " + TestIssuer.DAILY_LIMIT + " receipts left and this batch has 2 files"));
        none.then().statusCode(429).contentType("application/problem+json")
                .body("detail", containsString("You have used all " + TestIssuer.DAILY_LIMIT + " receipts of today's limit"))
                .body("detail", containsString("resets at"));
        long retryAfter = Long.parseLong(none.header("Retry-After"));
        assertThat(retryAfter).isBetween(1L, 86_400L);
        // Another owner is not affected
        upload(as(TestIssuer.BOB));
    }
}
