package io.receiptranger.ingest.account;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.Chromium;
import io.receiptranger.ingest.KafkaTestClient;
import io.receiptranger.ingest.TestFiles;
import io.receiptranger.ingest.rest.FakeSink;
import io.receiptranger.ingest.settings.SettingsConfig;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.restassured.RestAssured;

/**
 * Two people, Alice and Bob, each in a Chromium of their own (no cookie or storage shared), sign in
 * through the real authorization code flow of {@link TestIssuer} (its sign-in form, its token
 * endpoint), on a real Kafka broker. Bob cannot see, export or watch Alice's batch, his "Your
 * receipts" and summary hold none of her rows, her key and her settings are not his; a spoofed identity
 * header is ignored and a visitor without a session lands on the sign-in page. The test plays the
 * extractor and the sink on the broker, and one WireMock ({@link FakeSink}) is the sink's ledger API
 * (answering per owner, as the sink does) and the model provider.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaLocalResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = TestIssuer.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = FakeSink.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SettingsConfig.class, restrictToAnnotatedClass = true)
class TwoUsersBrowserIT {

    static final String PHOTO = "receipt-5423.jpg";
    static final String ALICES_VENDOR = "ALICE ONLY YOGA STUDIO";
    static final String ALICES_KEY = "sk-proj-alice-7c1e5b9a3d2f4e60";
    static final String SERVICE_ACCOUNT = "ranger@project.iam.gserviceaccount.com";
    static final String SHARED_SHEET = "1SharedSheetAbCdEfGhIjKlMnOpQrStUvWxYz0123";
    static final String PRIVATE_SHEET = "1PrivateSheetAbCdEfGhIjKlMnOpQrStUvWxYz012";
    static final String NOT_SHARED = "Receipt Ranger cannot open this spreadsheet: share it with " + SERVICE_ACCOUNT
            + " as Editor (Share, add " + SERVICE_ACCOUNT + ", Editor), then connect it again.";
    static final String UNKNOWN_BATCH = "b-00000000000000000000000000000000";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    TestIssuer issuer;
    WireMockServer sink;
    KafkaTestClient kafka;
    final List<ChromeDriver> browsers = new ArrayList<>();

    @BeforeEach
    void setUp() {
        issuer = TestIssuer.get();
        kafka = new KafkaTestClient(bootstrap);
        sink = FakeSink.server;
        sink.resetAll();
        // The sink answers for the owner the ingest names, as the real one does (SheetsSinkIT): Alice has one row.
        sink.stubFor(get(urlPathEqualTo("/api/receipts")).atPriority(9).willReturn(json("[]")));
        sink.stubFor(get(urlPathEqualTo("/api/receipts")).atPriority(5).withQueryParam("owner", WireMock.equalTo(TestIssuer.ALICE))
                .willReturn(json("""
                        [{"receiptId":"r-alices","batchId":"b-alices","fileName":"%s","amount":"167.61","currency":"USD",
                          "date":"2025-10-05","vendor":"%s","categories":["Subscriptions & Memberships"],"state":"WRITTEN",
                          "detail":"written","sheetUrl":null,"corrections":0,"lastChange":null}]""".formatted(PHOTO, ALICES_VENDOR))
                        .withHeader("X-Total-Count", "1")));
        sink.stubFor(get(urlPathEqualTo("/api/receipts")).atPriority(1).withQueryParam("state", WireMock.equalTo("REVIEW"))
                .willReturn(json("[]")));
        sink.stubFor(get(urlPathMatching("/api/receipts/totals")).atPriority(1).willReturn(json("[]")));
        sink.stubFor(get(urlPathEqualTo("/api/summary")).atPriority(9).willReturn(json("{\"month\":\"2025-10\",\"count\":0,\"currencies\":[]}")));
        sink.stubFor(get(urlPathEqualTo("/api/summary")).atPriority(5).withQueryParam("owner", WireMock.equalTo(TestIssuer.ALICE))
                .willReturn(json("{\"month\":\"2025-10\",\"count\":1,\"vendors\":[\"" + ALICES_VENDOR + "\"],\"currencies\":[]}")));
        // The model provider accepts Alice's key only; the sink opens the shared sheet only.
        sink.stubFor(post(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", WireMock.equalTo("Bearer " + ALICES_KEY))
                .willReturn(json("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"OK\"}}]}")));
        sink.stubFor(get(urlEqualTo("/internal/spreadsheets/service-account")).willReturn(json("{\"email\":\"" + SERVICE_ACCOUNT + "\"}")));
        sink.stubFor(post(urlEqualTo("/internal/spreadsheets/check")).atPriority(9).willReturn(aResponse().withStatus(422)
                .withHeader("Content-Type", "application/problem+json")
                .withBody("{\"status\":422,\"title\":\"Unprocessable Entity\",\"detail\":\"" + NOT_SHARED + "\"}")));
        sink.stubFor(post(urlEqualTo("/internal/spreadsheets/check")).atPriority(1).withRequestBody(containing(SHARED_SHEET))
                .willReturn(json("{\"spreadsheetId\":\"" + SHARED_SHEET + "\",\"title\":\"Alice's receipts 2026\",\"serviceAccount\":\""
                        + SERVICE_ACCOUNT + "\"}")));
    }

    @AfterEach
    void tearDown() {
        browsers.forEach(ChromeDriver::quit);
        kafka.close();
    }

    @Test
    void bobCannotSeeExportOrWatchAlicesBatchAndHisLedgerAndSettingsHoldNothingOfHers() {
        // Given Alice and Bob, each signed in in a browser of their own
        ChromeDriver alice = signedIn(TestIssuer.ALICE);
        ChromeDriver bob = signedIn(TestIssuer.BOB);

        // When Alice uploads a receipt from the page and the pipeline reports on it
        alice.findElement(By.id("files")).sendKeys(TestFiles.receipt(PHOTO).toAbsolutePath().toString());
        waitOn(alice).until(d -> d.findElements(By.cssSelector("#tiles li")).size() == 1);
        alice.findElement(By.id("process")).click();
        waitOn(alice).until(d -> d.findElements(By.cssSelector("#progress li[data-receipt]")).size() == 1);
        String batch = alice.findElement(By.id("progress-section")).getAttribute("data-batch");
        String receipt = alice.findElement(By.cssSelector("#progress li[data-receipt]")).getAttribute("data-receipt");
        // (Bob starts watching her batch before anything happens, as a snooper would)
        startWatching(bob, batch);
        kafka.send("receipt-status", receipt, status(receipt, batch, "EXTRACTING", "extractor"));
        kafka.send("receipt-status", receipt, status(receipt, batch, "WRITTEN", "sheets-sink"));

        // Then Alice watches it reach WRITTEN live, and her export holds it
        waitOn(alice).until(d -> "WRITTEN".equals(d.findElement(By.cssSelector("#progress li[data-receipt] .stage")).getAttribute("data-stage")));
        Map<String, Object> hers = fetch(alice, "/api/batches/" + batch + "/export?format=json");
        assertThat(hers.get("status")).isEqualTo(200L);
        assertThat((String) hers.get("body")).contains(receipt, PHOTO);

        // And Bob, asking for it, its export or its progress, gets exactly what an unknown batch gets
        Map<String, Object> foreign = fetch(bob, "/api/batches/" + batch);
        Map<String, Object> unknown = fetch(bob, "/api/batches/" + UNKNOWN_BATCH);
        assertThat(foreign.get("status")).isEqualTo(404L);
        assertThat(foreign.get("body")).isEqualTo(unknown.get("body"));
        for (String format : List.of("tsv", "csv", "json")) {
            Map<String, Object> export = fetch(bob, "/api/batches/" + batch + "/export?format=" + format);
            assertThat(export.get("status")).as(format).isEqualTo(404L);
            assertThat((String) export.get("body")).doesNotContain(PHOTO).doesNotContain(receipt);
        }
        waitOn(bob).until(d -> !watched(bob).isEmpty());
        assertThat(watched(bob)).singleElement().satisfies(m -> assertThat(m).contains("\"type\":\"error\"", "\"status\":404")
                .doesNotContain(PHOTO).doesNotContain(receipt).doesNotContain("WRITTEN"));

        // And Bob's "Your receipts" and summary hold none of Alice's rows, while hers does
        openHistory(alice);
        waitOn(alice).until(d -> "1".equals(d.findElement(By.id("history-section")).getAttribute("data-count")));
        assertThat(alice.findElement(By.id("h-table")).getText()).contains(ALICES_VENDOR);
        openHistory(bob);
        waitOn(bob).until(d -> "0".equals(d.findElement(By.id("history-section")).getAttribute("data-count")));
        assertThat(bob.findElement(By.id("h-table")).getText()).doesNotContain(ALICES_VENDOR);
        for (String path : List.of("/api/summary?month=2025-10", "/api/receipts?format=tsv", "/api/receipts?format=json&owner=" + TestIssuer.ALICE,
                "/api/summary?month=2025-10&owner=" + TestIssuer.ALICE)) {
            Map<String, Object> his = fetch(bob, path);
            assertThat(his.get("status")).as(path).isEqualTo(200L);
            assertThat((String) his.get("body")).as(path).doesNotContain(ALICES_VENDOR).doesNotContain(PHOTO);
        }
        // (every question the ingest put to the sink named exactly one owner, the one signed in)
        List<LoggedRequest> asked = sink.findAll(getRequestedFor(urlPathMatching("/api/(receipts|summary|receipts/totals)")));
        assertThat(asked).isNotEmpty().allSatisfy(r -> assertThat(r.queryParameter("owner").values()).hasSize(1)
                .first().isIn(TestIssuer.ALICE, TestIssuer.BOB));

        // When Alice saves her model key on the page
        openAccount(alice);
        alice.findElement(By.id("key-base-url")).sendKeys(sink.baseUrl() + "/v1/");
        alice.findElement(By.id("key-secret")).sendKeys(ALICES_KEY);
        alice.findElement(By.id("key-save")).click();

        // Then she sees it saved, as a hint only, and the key is nowhere on her page
        waitOn(alice).until(d -> "The key works and is saved.".equals(d.findElement(By.id("key-status")).getText()));
        waitOn(alice).until(d -> d.findElement(By.id("key-current")).getText().startsWith("Your key sk-…4e60 for gpt-5-mini"));
        assertThat(alice.findElement(By.id("key-secret")).getAttribute("value")).isEmpty();
        assertThat(alice.getPageSource()).doesNotContain(ALICES_KEY);
        assertThat((String) fetch(alice, "/api/settings").get("body")).doesNotContain(ALICES_KEY).contains("sk-…4e60");

        // And Bob's settings know nothing of it
        openAccount(bob);
        waitOn(bob).until(d -> d.findElement(By.id("key-current")).getText().startsWith("No key saved"));
        assertThat((String) fetch(bob, "/api/settings").get("body")).doesNotContain("4e60").contains("\"modelKey\":null");

        // When Alice deletes her key, it is gone
        alice.findElement(By.id("key-delete")).click();
        waitOn(alice).until(d -> "Your key is deleted.".equals(d.findElement(By.id("key-status")).getText()));
        waitOn(alice).until(d -> d.findElement(By.id("key-current")).getText().startsWith("No key saved"));
    }

    @Test
    void aKeyTheProviderRefusesIsNotSavedAndThePageSaysWhy() {
        ChromeDriver bob = signedIn(TestIssuer.BOB);
        openAccount(bob);
        bob.findElement(By.id("key-base-url")).sendKeys(sink.baseUrl() + "/v1/");
        bob.findElement(By.id("key-secret")).sendKeys("sk-proj-bob-not-a-key-0000");
        bob.findElement(By.id("key-save")).click();

        waitOn(bob).until(d -> d.findElement(By.id("key-status")).getText().length() > 0
                && !d.findElement(By.id("key-status")).getText().startsWith("Testing"));
        assertThat(bob.findElement(By.id("key-status")).getAttribute("class")).contains("problem");
        assertThat(bob.findElement(By.id("key-current")).getText()).startsWith("No key saved");
        assertThat(bob.getPageSource()).doesNotContain("sk-proj-bob-not-a-key-0000");
    }

    @Test
    void aSpreadsheetConnectsOrThePageSaysWhomToShareItWith() {
        ChromeDriver alice = signedIn(TestIssuer.ALICE);
        openAccount(alice);
        waitOn(alice).until(d -> d.findElement(By.id("sheet-share")).getText().contains(SERVICE_ACCOUNT + " as Editor"));

        // A sheet not shared with the service account: the sink's sentence, word for word
        alice.findElement(By.id("sheet-input")).sendKeys("https://docs.google.com/spreadsheets/d/" + PRIVATE_SHEET + "/edit#gid=0");
        alice.findElement(By.id("sheet-connect")).click();
        waitOn(alice).until(d -> NOT_SHARED.equals(d.findElement(By.id("sheet-status")).getText()));
        assertThat(alice.findElement(By.id("sheet-current")).getText()).startsWith("No spreadsheet connected");

        // Not an address at all
        alice.findElement(By.id("sheet-input")).clear();
        alice.findElement(By.id("sheet-input")).sendKeys("my receipts sheet");
        alice.findElement(By.id("sheet-connect")).click();
        waitOn(alice).until(d -> d.findElement(By.id("sheet-status")).getText().startsWith("That is not a Google Sheets address"));

        // The shared one (by its id): connected, with its title and a link
        alice.findElement(By.id("sheet-input")).clear();
        alice.findElement(By.id("sheet-input")).sendKeys(SHARED_SHEET);
        alice.findElement(By.id("sheet-connect")).click();
        waitOn(alice).until(d -> "Connected to Alice's receipts 2026.".equals(d.findElement(By.id("sheet-status")).getText()));
        waitOn(alice).until(d -> d.findElement(By.id("sheet-current")).getText().startsWith("Connected: Alice's receipts 2026"));
        assertThat(alice.findElement(By.cssSelector("#sheet-current a")).getAttribute("href")).contains(SHARED_SHEET);

        // Disconnect
        alice.findElement(By.id("sheet-disconnect")).click();
        waitOn(alice).until(d -> d.findElement(By.id("sheet-current")).getText().startsWith("No spreadsheet connected"));
    }

    @Test
    void aPersonalTokenIsShownOnceListedWorksAndStopsWhenRevokedOnThePage() {
        ChromeDriver alice = signedIn(TestIssuer.ALICE);
        openAccount(alice);

        // Create: the secret is shown once
        alice.findElement(By.id("token-name")).sendKeys("ci script");
        alice.findElement(By.id("token-create")).click();
        waitOn(alice).until(d -> d.findElement(By.id("token-new")).isDisplayed());
        String token = alice.findElement(By.id("token-secret")).getText();
        assertThat(token).startsWith("rr_");
        waitOn(alice).until(d -> d.findElement(By.id("tokens")).getText().contains("ci script"));
        given().auth().oauth2(token).get("/api/me").then().statusCode(200).body("owner", equalTo(TestIssuer.ALICE));

        // Coming back later, the token is listed but its secret is not on the page
        alice.navigate().refresh();
        waitOn(alice).until(d -> d.findElement(By.id("account-section")).isDisplayed());
        openAccount(alice);
        waitOn(alice).until(d -> d.findElement(By.id("tokens")).getText().contains("ci script"));
        assertThat(alice.findElement(By.id("token-new")).isDisplayed()).isFalse();
        assertThat(alice.getPageSource()).doesNotContain(token);

        // Revoke: gone from the list, refused by the API
        alice.findElement(By.cssSelector("#tokens tbody tr[data-id] button")).click();
        waitOn(alice).until(d -> d.findElement(By.id("token-status")).getText().startsWith("Revoked \"ci script\""));
        waitOn(alice).until(d -> d.findElements(By.cssSelector("#tokens tbody tr[data-id]")).isEmpty());
        given().auth().oauth2(token).get("/api/me").then().statusCode(401);
    }

    @Test
    void withoutASessionThePageIsTheSignInPageWhateverIdentityHeadersSay() {
        // A visitor who never signed in, whose every request claims to be Alice in the headers a proxy would set
        ChromeDriver visitor = browser();
        visitor.executeCdpCommand("Network.enable", Map.of());
        visitor.executeCdpCommand("Network.setExtraHTTPHeaders", Map.of("headers", Map.of(
                "X-Auth-Request-Email", TestIssuer.ALICE, "X-Forwarded-User", TestIssuer.ALICE,
                "X-Forwarded-Email", TestIssuer.ALICE, "X-Amzn-Oidc-Identity", TestIssuer.ALICE)));

        // Opening the page lands on the identity provider's sign-in form; the API says to sign in
        visitor.get(page());
        waitOn(visitor).until(d -> d.getCurrentUrl().startsWith(issuer.url() + "/authorize"));
        assertThat(visitor.getTitle()).isEqualTo("Test identity provider");
        visitor.get(page() + "api/me");
        assertThat(visitor.findElement(By.tagName("body")).getText()).contains("Sign in first").doesNotContain(TestIssuer.ALICE);

        // Signed in as Bob with the same headers, the page knows him as Bob
        signIn(visitor, TestIssuer.BOB);
        assertThat(visitor.findElement(By.id("who")).getText()).isEqualTo("Signed in as " + TestIssuer.BOB);
        assertThat((String) fetch(visitor, "/api/me").get("body")).contains("\"owner\":\"" + TestIssuer.BOB + "\"");

        // Signing out ends the session: the page is the sign-in form again
        visitor.findElement(By.id("sign-out")).click();
        waitOn(visitor).until(d -> d.getCurrentUrl().startsWith(issuer.url() + "/authorize"));
        visitor.get(page() + "api/me");
        assertThat(visitor.findElement(By.tagName("body")).getText()).contains("Sign in first");
    }

    // ---- helpers ----------------------------------------------------------------------------------

    ChromeDriver browser() {
        ChromeDriver browser = Chromium.start();
        browsers.add(browser);
        return browser;
    }

    static String page() {
        return "http://localhost:" + RestAssured.port + "/";
    }

    /** A new browser, signed in through the code flow: the page sends it to the issuer's form and back. */
    ChromeDriver signedIn(String email) {
        ChromeDriver browser = browser();
        signIn(browser, email);
        return browser;
    }

    void signIn(ChromeDriver browser, String email) {
        browser.get(page());
        waitOn(browser).until(d -> d.getCurrentUrl().startsWith(issuer.url() + "/authorize"));
        browser.findElement(By.id("email")).sendKeys(email);
        browser.findElement(By.id("sign-in")).click();
        waitOn(browser).until(d -> d.getCurrentUrl().startsWith(page()) && !d.findElements(By.id("who")).isEmpty()
                && ("Signed in as " + email).equals(d.findElement(By.id("who")).getText()));
        assertThat(browser.findElement(By.id("sign-out")).isDisplayed()).isTrue();
    }

    static WebDriverWait waitOn(ChromeDriver browser) {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        return wait;
    }

    void openAccount(ChromeDriver browser) {
        waitOn(browser).until(d -> d.findElement(By.id("account-section")).isDisplayed());
        if (browser.findElement(By.id("account")).getAttribute("open") == null) {
            browser.findElement(By.cssSelector("#account summary")).click();
        }
        waitOn(browser).until(d -> d.findElement(By.id("key-current")).getText().length() > 0);
    }

    void openHistory(ChromeDriver browser) {
        browser.findElement(By.id("h-open")).click();
        waitOn(browser).until(d -> d.findElement(By.id("history-section")).isDisplayed());
    }

    /** A same-origin fetch in the page, with that browser's session: {status, body}. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> fetch(ChromeDriver browser, String path) {
        return (Map<String, Object>) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => r.text().then(t => done({status: r.status, body: t})),"
                + " e => done({status: -1, body: String(e)}));", path);
    }

    /** Opens the batch's progress socket in the page, as the page's own script would, collecting its messages. */
    static void startWatching(ChromeDriver browser, String batchId) {
        browser.executeScript("window.watched = []; const s = new WebSocket('ws://' + location.host + '/ws/batches/' + arguments[0]);"
                + "s.onmessage = (m) => window.watched.push(m.data);", batchId);
    }

    @SuppressWarnings("unchecked")
    static List<String> watched(ChromeDriver browser) {
        return (List<String>) browser.executeScript("return window.watched || [];");
    }

    static String status(String receiptId, String batchId, String stage, String service) {
        return """
                {"receiptId":"%s","batchId":"%s","stage":"%s","detail":"%s by the test","service":"%s","at":"2026-11-28T22:00:05Z"}"""
                .formatted(receiptId, batchId, stage, stage.toLowerCase(), service);
    }

    static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }
}
