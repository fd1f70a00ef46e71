package io.receiptranger.extractor.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.ModelGate;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * The model failing in every way the issue lists, against the real client and a fake server; the
 * timeouts and back-offs are shortened by {@link FakeOpenAi} (2 s timeout, 50–500 ms back-off, 8 s
 * budget, 4 attempts, breaker open 1 s after 3 consecutive failures).
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = FakeOpenAi.class, restrictToAnnotatedClass = true)
class ModelFaultsIT {

    private static final Duration WAIT = Duration.ofSeconds(40);
    private static final String QUOTA_BODY = """
            {"error":{"message":"You exceeded your current quota, please check your plan and billing details.",
             "type":"insufficient_quota","param":null,"code":"insufficient_quota"}}""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ModelGate gate;

    KafkaProbe kafka;

    @BeforeEach
    void setUp() {
        FakeOpenAi.server.resetAll();
        gate.breaker().recordSuccess();
        kafka = new KafkaProbe(bootstrap);
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    private void firstThenOk(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder first) {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).inScenario("fault").whenScenarioStateIs(STARTED)
                .willReturn(first).willSetStateTo("recovered"));
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).inScenario("fault").whenScenarioStateIs("recovered")
                .willReturn(FakeOpenAi.completion(FakeOpenAi.E2E_READING)));
    }

    private JsonNode extract(String receiptId) {
        kafka.send(receiptId, TestImages.submitted(receiptId, TestImages.storedPng(receiptId)));
        await().atMost(WAIT).until(() -> !kafka.on("extractions", receiptId).isEmpty());
        return kafka.extraction(receiptId).json();
    }

    private static List<ServeEvent> calls() {
        // WireMock lists the newest first.
        List<ServeEvent> events = new java.util.ArrayList<>(FakeOpenAi.server.getAllServeEvents());
        java.util.Collections.reverse(events);
        return events;
    }

    @Test
    void a429WithRetryAfterIsRetriedAfterTheServersDelay() {
        firstThenOk(aResponse().withStatus(429).withHeader("Retry-After", "1")
                .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"));

        JsonNode extracted = extract("r-fault-429");

        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(2);
        List<ServeEvent> calls = calls();
        assertThat(calls).hasSize(2);
        long gapMs = calls.get(1).getRequest().getLoggedDate().getTime() - calls.get(0).getRequest().getLoggedDate().getTime();
        assertThat(gapMs).as("Retry-After: 1 honoured (back-off alone is at most 500 ms)").isGreaterThanOrEqualTo(950);
    }

    @Test
    void aRunOfRateLimitsSlowsTheReceiptDownWithoutFailingItOrOpeningTheCircuit() {
        // Given a provider that answers 429 six times (more than the 4 attempts and the breaker's 3), then reads
        String state = STARTED;
        for (int i = 1; i <= 6; i++) {
            FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).inScenario("paced").whenScenarioStateIs(state)
                    .willReturn(aResponse().withStatus(429)
                            .withBody("{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}"))
                    .willSetStateTo("429-" + i));
            state = "429-" + i;
        }
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).inScenario("paced").whenScenarioStateIs(state)
                .willReturn(FakeOpenAi.completion(FakeOpenAi.E2E_READING)));
        List<io.receiptranger.extractor.ai.CircuitBreaker.State> transitions = new java.util.concurrent.CopyOnWriteArrayList<>();
        gate.breaker().onStateChange(transitions::add);

        JsonNode extracted = extract("r-fault-paced");

        // Then the receipt is read on the seventh call, and the provider was never taken for down
        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(7);
        assertThat(calls()).hasSize(7);
        assertThat(transitions).as("the breaker never opened").isEmpty();
    }

    @Test
    void a500IsRetriedWithBackoff() {
        firstThenOk(aResponse().withStatus(500).withBody("{\"error\":{\"message\":\"server error\"}}"));

        JsonNode extracted = extract("r-fault-500");

        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(2);
        assertThat(calls()).hasSize(2);
    }

    @Test
    void aHungResponseIsCutByTheHttpTimeoutAndRetried() {
        firstThenOk(FakeOpenAi.completion(FakeOpenAi.E2E_READING).withFixedDelay(6000));

        JsonNode extracted = extract("r-fault-hung");

        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(2);
        List<ServeEvent> calls = calls();
        assertThat(calls).hasSize(2);
        long gapMs = calls.get(1).getRequest().getLoggedDate().getTime() - calls.get(0).getRequest().getLoggedDate().getTime();
        assertThat(gapMs).as("cut at the 2 s timeout, not after the 6 s hang").isBetween(1900L, 5000L);
    }

    @Test
    void invalidJsonIsRetriedOnceThenFailedAndDeadLettered() {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(FakeOpenAi.completion("Sorry, I cannot help with that.")));

        JsonNode extracted = extract("r-fault-garbage");

        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).contains("no usable answer twice");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(2);
        assertThat(calls()).hasSize(2);
        await().atMost(WAIT).until(() -> kafka.stages("r-fault-garbage").contains("FAILED")
                && !kafka.on("receipts-dlq", "r-fault-garbage").isEmpty());
        assertThat(kafka.on("receipts-dlq", "r-fault-garbage").get(0).deadLetterReason()).contains("no usable answer");
    }

    @Test
    void aRefusalThenAnAnswerIsExtractedOnTheSecondCall() {
        firstThenOk(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("""
                {"id":"x","object":"chat.completion","created":1,"model":"gpt-5-mini","choices":[{"index":0,
                 "message":{"role":"assistant","content":null,"refusal":"I can't help with that."},"finish_reason":"stop"}]}"""));

        JsonNode extracted = extract("r-fault-refusal");

        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void aSchemaViolationTwiceFails() {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(FakeOpenAi.completion("{\"isValidReceipt\":\"maybe\"}")));

        JsonNode extracted = extract("r-fault-schema");

        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).contains("no usable answer twice");
        assertThat(calls()).hasSize(2);
    }

    @Test
    void insufficientQuotaIsNotRetriedAndFailsWithAClearReason() {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(aResponse().withStatus(429)
                .withHeader("Content-Type", "application/json").withBody(QUOTA_BODY)));

        JsonNode extracted = extract("r-fault-quota");

        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).contains("insufficient_quota").contains("billing");
        assertThat(extracted.get("attempts").asInt()).isEqualTo(1);
        assertThat(calls()).hasSize(1);
    }

    @Test
    void aSporadicFailureCountsAgainstTheAttemptCap() {
        // Given one failure, then success: the breaker (threshold 3) stays closed
        firstThenOk(aResponse().withStatus(503));

        JsonNode extracted = extract("r-fault-sporadic");

        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(gate.breaker().state()).isEqualTo(io.receiptranger.extractor.ai.CircuitBreaker.State.CLOSED);
    }

    @Test
    void aRefusedKeyIsNotRetried() {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(aResponse().withStatus(401)
                .withBody("{\"error\":{\"message\":\"Incorrect API key provided\",\"code\":\"invalid_api_key\"}}")));

        JsonNode extracted = extract("r-fault-401");

        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).contains("401").contains("OPENAI_API_KEY");
        assertThat(calls()).hasSize(1);
    }

    @Test
    void aProviderThatKeepsFailingEndsFailedWhenTheRetryBudgetIsSpentAndIsDeadLettered() {
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(aResponse().withStatus(502)));

        JsonNode extracted = extract("r-fault-502");

        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).containsAnyOf("HTTP 502", "circuit open").contains("retry budget");
        assertThat(extracted.get("attempts").asInt()).isGreaterThanOrEqualTo(3);
        await().atMost(WAIT).until(() -> !kafka.on("receipts-dlq", "r-fault-502").isEmpty());
    }

    @Test
    void anOutageOpensTheCircuitPausesAndDelaysReceiptsInsteadOfFailingThem() {
        // Given a provider that is down
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(aResponse().withStatus(503)));

        // When two receipts arrive
        kafka.send("r-outage-1", TestImages.submitted("r-outage-1", TestImages.storedPng("r-outage-1")));
        kafka.send("r-outage-2", TestImages.submitted("r-outage-2", TestImages.storedPng("r-outage-2")));

        // Then the circuit opens: the dependency health says so, readiness does not
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20))
                .until(() -> given().get("/q/health/group/dependencies").statusCode() == 503);
        given().get("/q/health/ready").then().statusCode(200);
        // And when the provider is back, both receipts are extracted, not failed
        FakeOpenAi.server.resetAll();
        FakeOpenAi.stub(post(urlEqualTo(FakeOpenAi.CHAT)).willReturn(FakeOpenAi.completion(FakeOpenAi.E2E_READING)));
        await().atMost(WAIT).until(() -> kafka.stages("r-outage-1").size() >= 2 && kafka.stages("r-outage-2").size() >= 2);
        assertThat(kafka.stages("r-outage-1")).containsExactly("EXTRACTING", "EXTRACTED");
        assertThat(kafka.stages("r-outage-2")).containsExactly("EXTRACTING", "EXTRACTED");
        await().atMost(WAIT).until(() -> given().get("/q/health/group/dependencies").statusCode() == 200);
    }
}
