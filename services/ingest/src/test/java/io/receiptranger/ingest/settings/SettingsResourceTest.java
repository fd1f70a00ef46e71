package io.receiptranger.ingest.settings;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.rest.FakeSinkAccess;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

/**
 * {@code /api/settings} over HTTP: a key is tested with one call, saved encrypted and shown masked; a
 * refused key, a bad spreadsheet address and a sheet not shared each get a 4xx sentence. One WireMock is
 * both the model provider ({@code /v1/chat/completions}) and the sheets-sink's internal API.
 */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = io.receiptranger.ingest.rest.FakeSink.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = SettingsConfig.class, restrictToAnnotatedClass = true)
class SettingsResourceTest {

    static final String GOOD_KEY = "sk-proj-good-4f1a9c2e7b3d5a60";
    static final String BAD_KEY = "sk-proj-revoked-0000aaaa1111";
    static final String SHEET = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc";
    static final String SERVICE_ACCOUNT = "ranger@project.iam.gserviceaccount.com";

    @Inject
    @jakarta.enterprise.inject.Any
    InMemoryConnector connector;

    @Inject
    ObjectMapper json;

    WireMockServer fake;
    InMemorySink<String> published;

    @BeforeEach
    void reset() {
        fake = FakeSinkAccess.server();
        fake.resetAll();
        fake.stubFor(post(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + GOOD_KEY))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"OK\"}}]}")));
        fake.stubFor(post(urlEqualTo("/v1/chat/completions")).withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + BAD_KEY))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-proj-****1111.\"}}")));
        fake.stubFor(get(urlEqualTo("/internal/spreadsheets/service-account")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"email\":\"" + SERVICE_ACCOUNT + "\"}")));
        published = connector.sink(SettingsTopic.OUT);
        published.clear();
    }

    String base() {
        return fake.baseUrl() + "/v1/";
    }

    @Test
    void aKeyThatPassesTheTestCallIsSavedEncryptedAndShownMasked() throws Exception {
        // When the user saves a key for their endpoint and model
        given().contentType("application/json")
                .body("{\"baseUrl\":\"" + base() + "\",\"model\":\"gpt-4.1-mini\",\"apiKey\":\"" + GOOD_KEY + "\"}")
                .put("/api/settings/model-key")
                .then().statusCode(200)
                .body("keyHint", equalTo("sk-…5a60")).body("model", equalTo("gpt-4.1-mini")).body("baseUrl", equalTo(base()))
                .body(org.hamcrest.Matchers.not(containsString(GOOD_KEY)));

        // Then exactly one test call was made with that key and model
        fake.verify(1, postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + GOOD_KEY))
                .withRequestBody(equalToJson("{\"model\":\"gpt-4.1-mini\"}", true, true)));
        // And one ModelKeySaved went to owner-settings, keyed by owner, with ciphertext only
        List<? extends Message<String>> records = published.received();
        assertThat(records).hasSize(1);
        String value = records.get(0).getPayload();
        assertThat(value).doesNotContain(GOOD_KEY).contains("\"type\":\"ModelKeySaved\"");
        assertThat(records.get(0).getMetadata(OutgoingKafkaRecordMetadata.class).orElseThrow().getKey())
                .isEqualTo("model-key:" + CurrentOwner.LOCAL);
        SettingsEvent.ModelKeySaved saved = (SettingsEvent.ModelKeySaved) json.readValue(value, SettingsEvent.class);
        assertThat(Unsealing.open(SettingsConfig.RING, CurrentOwner.LOCAL, saved.encryptedKey())).isEqualTo(GOOD_KEY);
        // And the settings show it masked, with the service account to share sheets with
        given().get("/api/settings").then().statusCode(200)
                .body("modelKey.keyHint", equalTo("sk-…5a60")).body("serviceAccount", equalTo(SERVICE_ACCOUNT))
                .body("keyStorage", equalTo(true)).body(org.hamcrest.Matchers.not(containsString(GOOD_KEY)));

        // When it is deleted, Then the settings no longer have one
        given().delete("/api/settings/model-key").then().statusCode(204);
        given().get("/api/settings").then().statusCode(200).body("modelKey", nullValue());
        assertThat(published.received().get(1).getPayload()).contains("\"type\":\"ModelKeyDeleted\"");
    }

    @Test
    void aKeyTheProviderRefusesIsNotSavedAndTheAnswerSaysWhy() {
        given().contentType("application/json").body("{\"baseUrl\":\"" + base() + "\",\"apiKey\":\"" + BAD_KEY + "\"}")
                .put("/api/settings/model-key")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", containsString("refused this key (HTTP 401)"))
                .body("detail", containsString("it was not saved"))
                .body(org.hamcrest.Matchers.not(containsString("sk-proj")));

        assertThat(published.received()).isEmpty();
    }

    @Test
    void malformedKeyRequestsAre400WithASentence() {
        given().contentType("application/json").body("{\"apiKey\":\"\"}").put("/api/settings/model-key")
                .then().statusCode(400).body("detail", containsString("Send the key as JSON"));
        given().contentType("application/json").body("{\"apiKey\":\"has spaces inside\"}").put("/api/settings/model-key")
                .then().statusCode(400).body("detail", containsString("does not look like an API key"));
        given().contentType("application/json").body("{\"baseUrl\":\"ftp://x/\",\"apiKey\":\"" + GOOD_KEY + "\"}")
                .put("/api/settings/model-key")
                .then().statusCode(400).body("detail", containsString("The base URL must be"));
        given().contentType("application/json").body("{\"baseUrl\":\"" + base() + "\",\"model\":\"a b\",\"apiKey\":\""
                + GOOD_KEY + "\"}").put("/api/settings/model-key")
                .then().statusCode(400).body("detail", containsString("model name"));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void reviewBeforeWritingIsTheOwnersSettingOnOwnerSettings() throws Exception {
        given().get("/api/settings").then().statusCode(200).body("review", org.hamcrest.Matchers.is(false));

        // When the owner turns it on
        given().contentType("application/json").body("{\"review\":true}").put("/api/settings/review")
                .then().statusCode(200).body("review", org.hamcrest.Matchers.is(true));

        // Then it is a ReviewSettingSaved fact keyed by the owner, and the settings show it
        assertThat(published.received()).hasSize(1);
        var record = published.received().get(0);
        assertThat(record.getMetadata(io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata.class).orElseThrow().getKey())
                .isEqualTo("review:default");
        var fact = json.readTree(record.getPayload());
        assertThat(fact.path("type").asText()).isEqualTo("ReviewSettingSaved");
        assertThat(fact.path("owner").asText()).isEqualTo("default");
        assertThat(fact.path("review").asBoolean()).isTrue();
        given().get("/api/settings").then().statusCode(200).body("review", org.hamcrest.Matchers.is(true));

        // And without a yes or no nothing is saved; turning it off is saved like turning it on
        given().contentType("application/json").body("{}").put("/api/settings/review").then().statusCode(400)
                .body("detail", containsString("Say whether to review receipts"));
        given().contentType("application/json").body("{\"review\":false}").put("/api/settings/review")
                .then().statusCode(200).body("review", org.hamcrest.Matchers.is(false));
        assertThat(published.received()).hasSize(2);
    }

    @Test
    void aChangeFromAnotherSitesPageIsRefused() {
        given().header("Origin", "https://evil.example").delete("/api/settings/model-key")
                .then().statusCode(403).body("detail", containsString("only from this site's own page"));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aTextThatIsNotASpreadsheetAddressIs400() {
        given().contentType("application/json").body("{\"spreadsheet\":\"https://example.com/my-sheet\"}")
                .put("/api/settings/spreadsheet")
                .then().statusCode(400).body("detail", containsString("not a Google Sheets address or spreadsheet id"));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aSheetTheSinkCannotOpenGetsTheSinksSentence() {
        // Given the sink answers that the sheet is not shared with its service account
        String sentence = "Receipt Ranger cannot open this spreadsheet: share it with " + SERVICE_ACCOUNT + " as Editor,"
                + " then connect it again.";
        fake.stubFor(post(urlEqualTo("/internal/spreadsheets/check"))
                .withRequestBody(equalToJson("{\"owner\":\"default\",\"spreadsheetId\":\"" + SHEET + "\"}"))
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/problem+json")
                        .withBody(json.createObjectNode().put("status", 422).put("detail", sentence).toString())));

        given().contentType("application/json")
                .body("{\"spreadsheet\":\"https://docs.google.com/spreadsheets/d/" + SHEET + "/edit#gid=0\"}")
                .put("/api/settings/spreadsheet")
                .then().statusCode(422).body("detail", equalTo(sentence));
        assertThat(published.received()).isEmpty();
    }

    @Test
    void aSheetTheSinkOpensIsConnected() {
        fake.stubFor(post(urlEqualTo("/internal/spreadsheets/check")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"title\":\"My receipts\",\"serviceAccount\":\"" + SERVICE_ACCOUNT + "\"}")));

        given().contentType("application/json").body("{\"spreadsheet\":\"" + SHEET + "\"}").put("/api/settings/spreadsheet")
                .then().statusCode(200).body("spreadsheetId", equalTo(SHEET)).body("title", equalTo("My receipts"))
                .body("url", equalTo("https://docs.google.com/spreadsheets/d/" + SHEET + "/edit"));

        assertThat(published.received()).hasSize(1);
        assertThat(published.received().get(0).getPayload()).contains("\"type\":\"SpreadsheetConnected\"", SHEET);
        given().get("/api/settings").then().body("spreadsheet.title", equalTo("My receipts"));
        given().delete("/api/settings/spreadsheet").then().statusCode(204);
        given().get("/api/settings").then().body("spreadsheet", nullValue());
    }
}
