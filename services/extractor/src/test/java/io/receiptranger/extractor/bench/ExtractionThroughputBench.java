package io.receiptranger.extractor.bench;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.it.KafkaProbe;
import io.receiptranger.extractor.it.TestImages;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * Not a test: run with {@code ./mvnw -pl services/extractor verify -Pbench [-Dbench.concurrency=4
 * -Dbench.latency.ms=500 -Dbench.receipts=80]}. Real Kafka, the real pipeline, a fake model of fixed
 * latency L; reports receipts/s against the ideal C/L in target/bench-results.md.
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = SlowFakeModel.class, restrictToAnnotatedClass = true)
class ExtractionThroughputBench {

    static final int RECEIPTS = Integer.getInteger("bench.receipts", 80);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void throughputAgainstTheIdeal() throws Exception {
        try (KafkaProbe kafka = new KafkaProbe(bootstrap)) {
            Path image = SlowFakeModel.blobDir.resolve("bench.png");
            Files.write(image, TestImages.png(400, 600));
            String uri = image.toUri().toString();
            // Warm-up: one receipt, so the group join and the first connection are not measured.
            kafka.send("warmup", TestImages.submitted("warmup", uri));
            await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.on("extractions", "warmup").isEmpty());

            long start = System.nanoTime();
            for (int i = 0; i < RECEIPTS; i++) {
                kafka.send("bench-" + i, TestImages.submitted("bench-" + i, uri));
            }
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
                for (int i = RECEIPTS - 1; i >= 0; i--) {
                    if (kafka.on("extractions", "bench-" + i).isEmpty()) {
                        return false;
                    }
                }
                return true;
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            for (int i = 0; i < RECEIPTS; i++) {
                String outcome = kafka.on("extractions", "bench-" + i).get(0).json().get("outcome").asText();
                if (!outcome.equals("EXTRACTED")) {
                    throw new AssertionError("bench-" + i + " ended " + outcome + ": "
                            + kafka.on("extractions", "bench-" + i).get(0).value());
                }
            }
            double achieved = RECEIPTS / seconds;
            double ideal = SlowFakeModel.CONCURRENCY / (SlowFakeModel.LATENCY_MS / 1000.0);
            String line = String.format("| %d | %d ms | %d | %.2f s | %.2f | %.2f | %.0f %% |", SlowFakeModel.CONCURRENCY,
                    SlowFakeModel.LATENCY_MS, RECEIPTS, seconds, achieved, ideal, 100 * achieved / ideal);
            System.out.println("| C | L | receipts | elapsed | receipts/s | ideal C/L | efficiency |");
            System.out.println(line);
            Path results = Path.of("target", "bench-results.md");
            Files.writeString(results, line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
    }
}
