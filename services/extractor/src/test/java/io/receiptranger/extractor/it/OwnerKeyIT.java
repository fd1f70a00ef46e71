package io.receiptranger.extractor.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.keys.ModelRoutes;
import io.receiptranger.extractor.keys.Sealing;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * Bring your own key, over a real broker: an owner's saved key (ciphertext on owner-settings) is
 * decrypted when their receipt is read and sent to their endpoint with their model; an owner without
 * a key, with whom the deployment's key is not shared, gets a sentence to add one; a key the provider
 * refuses ends the receipt with a sentence naming the saved key. No key reaches the log.
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = FakeOpenAi.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = OwnerKeysConfig.class, restrictToAnnotatedClass = true)
class OwnerKeyIT extends PipelineHarness {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String ALICE = "alice@example.com";
    private static final String ALICE_KEY = "sk-alice-5b1e0c8d9a7f4e22";
    private static final String ALICE_MODEL = "alice-vision-1";
    private static final String CAROL = "carol@example.com";
    private static final String CAROL_KEY = "sk-carol-revoked-77aa01bc";

    private void saveKey(String owner, String key, String model) {
        String value = Sealing.modelKeySaved(owner, FakeOpenAi.server.baseUrl() + "/v1/", model,
                Sealing.seal(Sealing.FIXTURE_RING, owner, key));
        kafka.sendTo("owner-settings", "model-key:" + owner, value);
    }

    private static String receipt(String id, String owner) {
        return """
                {"receiptId":"%s","owner":"%s","image":{"uri":"%s"}}""".formatted(id, owner, TestImages.storedPng(id));
    }

    @Test
    void anOwnersReceiptIsReadWithTheirKeyEndpointAndModel() throws Exception {
        // Given alice saved her own key (only that key is accepted by the fake provider)
        FakeOpenAi.server.resetAll();
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).withHeader("Authorization", equalTo("Bearer " + ALICE_KEY))
                .willReturn(FakeOpenAi.completion(FakeOpenAi.E2E_READING)));
        saveKey(ALICE, ALICE_KEY, ALICE_MODEL);

        // When her receipt arrives right after
        kafka.send("r-own-1", receipt("r-own-1", ALICE));

        // Then it is extracted by her model, with her key
        await().atMost(WAIT).until(() -> kafka.stages("r-own-1").contains("EXTRACTED"));
        List<ServeEvent> calls = FakeOpenAi.server.getAllServeEvents();
        assertThat(calls).hasSize(1);
        assertThat(calls.get(0).getRequest().getHeader("Authorization")).isEqualTo("Bearer " + ALICE_KEY);
        JsonNode body = Json.MAPPER.readTree(calls.get(0).getRequest().getBodyAsString());
        assertThat(body.get("model").asText()).isEqualTo(ALICE_MODEL);
        assertThat(body.at("/response_format/type").asText()).isEqualTo("json_schema");
        JsonNode extracted = kafka.extraction("r-own-1").json();
        assertThat(extracted.get("model").asText()).isEqualTo(ALICE_MODEL);
        assertThat(extracted.get("owner").asText()).isEqualTo(ALICE);
        // And her key is in no record the extractor wrote, nor in its log
        assertThat(kafka.on("extractions", "r-own-1")).extracting(KafkaProbe.Seen::value)
                .noneMatch(v -> v.contains(ALICE_KEY));
        assertThat(kafka.on("receipt-status", "r-own-1")).extracting(KafkaProbe.Seen::value)
                .noneMatch(v -> v.contains(ALICE_KEY));
        assertThat(Files.readString(FakeOpenAi.logFile)).contains("r-own-1").doesNotContain(ALICE_KEY);
    }

    @Test
    void anOwnerWithoutAKeyWhoMayNotUseTheDeploymentsIsToldToAddOne() {
        // Given bob saved no key and the deployment's key is shared with dora only
        FakeOpenAi.stubReading(FakeOpenAi.E2E_READING);

        // When his receipt arrives
        kafka.send("r-nokey-1", receipt("r-nokey-1", "bob@example.com"));

        // Then it ends FAILED with the sentence, and the model was never called
        await().atMost(WAIT).until(() -> kafka.stages("r-nokey-1").contains("FAILED"));
        assertThat(kafka.extraction("r-nokey-1").json().get("reason").asText())
                .isEqualTo(ModelRoutes.ADD_A_KEY);
        assertThat(FakeOpenAi.server.getAllServeEvents()).isEmpty();
        // And dora, with whom it is shared, is read with the deployment's key
        kafka.send("r-shared-1", receipt("r-shared-1", OwnerKeysConfig.SHARED_WITH));
        await().atMost(WAIT).until(() -> kafka.stages("r-shared-1").contains("EXTRACTED"));
        assertThat(FakeOpenAi.server.getAllServeEvents().get(0).getRequest().getHeader("Authorization"))
                .isEqualTo("Bearer " + FakeOpenAi.API_KEY);
    }

    @Test
    void aKeyTheProviderRefusesEndsTheReceiptWithASentenceNamingTheSavedKey() throws Exception {
        // Given carol saved a key the provider refuses (echoing it half-masked, as OpenAI does)
        FakeOpenAi.server.resetAll();
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided: sk-caro*************01bc.\","
                        + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")));
        saveKey(CAROL, CAROL_KEY, "gpt-5-mini");

        // When her receipt arrives
        kafka.send("r-refused-1", receipt("r-refused-1", CAROL));

        // Then one call was made, and the receipt FAILED saying what to do, without the key
        await().atMost(WAIT).until(() -> kafka.stages("r-refused-1").contains("FAILED"));
        assertThat(FakeOpenAi.server.getAllServeEvents()).hasSize(1);
        String reason = kafka.extraction("r-refused-1").json().get("reason").asText();
        assertThat(reason).contains("refused the API key (HTTP 401)", "check the model key saved in your settings")
                .doesNotContain(CAROL_KEY).doesNotContain("sk-caro");
        assertThat(Files.readString(FakeOpenAi.logFile)).doesNotContain(CAROL_KEY).doesNotContain("sk-caro*");
    }
}
