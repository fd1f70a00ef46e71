package io.receiptranger.extractor.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fake OpenAI (WireMock) plus a temporary blob store, and the settings that point the extractor at
 * them with short timeouts and back-offs (model and blob store) so the fault tests run in seconds.
 */
public class FakeOpenAi implements QuarkusTestResourceLifecycleManager {

    public static final String API_KEY = "sk-test-9f2c71d0e4b34a58";
    public static final String CHAT = "/v1/chat/completions";
    /** The reply of the end-to-end test's fake (COMMON.md). */
    public static final String E2E_READING = """
            {"isValidReceipt":true,"validationError":"","total":"25.50","subtotal":"21.00","tax":"1.50","tip":"3.00",
             "currency":"USD","date":"01/20/2026","vendor":"Taco Cabana","categories":["Food & Restaurants"],
             "paymentMethods":["Card"],"cardLast4":"1234","excludeFromTable":false,"exclusionReason":""}""";

    public static WireMockServer server;
    public static Path blobDir;
    public static Path logFile;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(20).asynchronousResponseEnabled(true));
        server.start();
        stubReading(E2E_READING);
        try {
            blobDir = Files.createTempDirectory("extractor-blobs-");
            logFile = Files.createTempFile("extractor-it-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> config = new HashMap<>();
        config.put("quarkus.langchain4j.openai.base-url", server.baseUrl() + "/v1/");
        config.put("quarkus.langchain4j.openai.api-key", API_KEY);
        config.put("ranger.model.api-key", API_KEY);
        config.put("ranger.blob-store", "file:" + blobDir);
        config.put("ranger.model.timeout", "2s");
        config.put("ranger.model.initial-backoff", "50ms");
        config.put("ranger.model.max-backoff", "500ms");
        config.put("ranger.model.retry-budget", "8s");
        config.put("ranger.model.breaker-open-duration", "1s");
        config.put("ranger.blob.initial-backoff", "20ms");
        config.put("ranger.blob.max-backoff", "200ms");
        config.put("ranger.blob.retry-budget", "3s");
        config.put("quarkus.log.file.enabled", "true");
        config.put("quarkus.log.file.path", logFile.toString());
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Every chat call answers with this reading. */
    public static void stubReading(String readingJson) {
        server.resetAll();
        server.stubFor(post(urlEqualTo(CHAT)).willReturn(completion(readingJson)));
    }

    public static void stub(MappingBuilder mapping) {
        server.stubFor(mapping);
    }

    /** A chat completion whose message content is {@code content}. */
    public static ResponseDefinitionBuilder completion(String content) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("id", "chatcmpl-test");
        body.put("object", "chat.completion");
        body.put("created", 1764367200);
        body.put("model", "gpt-5-mini");
        ObjectNode choice = body.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        choice.put("finish_reason", "stop");
        ObjectNode usage = body.putObject("usage");
        usage.put("prompt_tokens", 1200);
        usage.put("completion_tokens", 80);
        usage.put("total_tokens", 1280);
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body.toString());
    }
}
