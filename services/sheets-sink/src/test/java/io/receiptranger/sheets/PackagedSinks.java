package io.receiptranger.sheets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * What the ITs of the packaged sink ({@link SinkProcess}) stand on: a broker of their own, the fake
 * Google Sheets server, a probe on the broker, and the environment every packaged sink there starts
 * from. {@link #close()} kills the sinks started through it first (they hold the others), then stops
 * the probe, the fake and the broker.
 */
final class PackagedSinks implements AutoCloseable {

    final KafkaLocalProcess broker;
    final KafkaProbe kafka;
    final FakeSheets fake;
    private final List<SinkProcess> sinks = new ArrayList<>();

    private PackagedSinks(KafkaLocalProcess broker, KafkaProbe kafka, FakeSheets fake) {
        this.broker = broker;
        this.kafka = kafka;
        this.fake = fake;
    }

    static PackagedSinks start() {
        KafkaLocalProcess broker = KafkaLocalProcess.start();
        KafkaProbe kafka = null;
        try {
            kafka = new KafkaProbe(broker.bootstrapServers());
            return new PackagedSinks(broker, kafka, FakeSheets.start());
        } catch (RuntimeException e) {
            if (kafka != null) {
                kafka.close();
            }
            broker.close();
            throw e;
        }
    }

    /**
     * The settings every sink here gets: this broker, the fake Google with a service account named
     * {@code serviceAccountEmail}, and short Sheets back-offs. A new map, for the test to add to.
     */
    Map<String, String> env(String serviceAccountEmail) {
        return new HashMap<>(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                "GOOGLE_SHEETS_CREDENTIALS", Base64.getEncoder().encodeToString(
                        FakeSheets.serviceAccountJson(serviceAccountEmail, fake.tokenUri()).getBytes(StandardCharsets.UTF_8)),
                "GOOGLE_SHEETS_ROOT_URL", fake.baseUrl() + "/",
                "RANGER_SHEETS_BACKOFF_INITIAL", "100ms",
                "RANGER_SHEETS_BACKOFF_MAX", "1s"));
    }

    /** Starts a packaged sink that {@link #close()} stops. */
    SinkProcess sink(Map<String, String> env, String name) throws IOException {
        SinkProcess sink = SinkProcess.start(env, name);
        sinks.add(sink);
        return sink;
    }

    @Override
    public void close() {
        // The test is over: no graceful stop (the broker and its topics go too), all at once.
        sinks.forEach(SinkProcess::discard);
        sinks.forEach(SinkProcess::close);
        kafka.close();
        fake.close();
        broker.close();
    }
}
