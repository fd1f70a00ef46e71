package io.receiptranger.extractor.bench;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.receiptranger.extractor.it.FakeOpenAi;

/** A fake model that answers every call after a fixed latency L (bench.latency.ms), with concurrency C (bench.concurrency). */
public class SlowFakeModel implements QuarkusTestResourceLifecycleManager {

    static final int LATENCY_MS = Integer.getInteger("bench.latency.ms", 500);
    static final int CONCURRENCY = Integer.getInteger("bench.concurrency", 4);
    static WireMockServer server;
    static Path blobDir = Path.of("target", "bench-blobs").toAbsolutePath();

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().containerThreads(CONCURRENCY * 4 + 20)
                .asynchronousResponseEnabled(true).asynchronousResponseThreads(CONCURRENCY * 2 + 10));
        server.start();
        server.stubFor(post(urlEqualTo(FakeOpenAi.CHAT))
                .willReturn(FakeOpenAi.completion(FakeOpenAi.E2E_READING).withFixedDelay(LATENCY_MS)));
        try {
            // A fixed place: the test class may see another copy of this class than the one started.
            blobDir = Files.createDirectories(Path.of("target", "bench-blobs").toAbsolutePath());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.langchain4j.openai.base-url", server.baseUrl() + "/v1/",
                "quarkus.langchain4j.openai.api-key", FakeOpenAi.API_KEY,
                "ranger.model.api-key", FakeOpenAi.API_KEY,
                "ranger.blob-store", "file:" + blobDir,
                "ranger.model-concurrency", String.valueOf(CONCURRENCY),
                "smallrye.messaging.worker.extraction.max-concurrency", String.valueOf(CONCURRENCY * 2));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
