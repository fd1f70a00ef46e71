package io.receiptranger.extractor.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusMock;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.image.BlobReader;
import io.receiptranger.extractor.image.BlobStoreUnavailableException;
import io.receiptranger.extractor.image.FileBlobReader;
import io.receiptranger.extractor.image.InvalidImageException;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * A blob store that is briefly unavailable delays a receipt instead of failing it; one that stays
 * unavailable fails it after the blob-store retry budget (3 s here, back-off 20–200 ms, set by
 * {@link FakeOpenAi}), dead-lettered, while readiness and liveness stay UP. The store is the real
 * file store behind a reader that fails transiently on demand (installed with {@link QuarkusMock}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = FakeOpenAi.class, restrictToAnnotatedClass = true)
class BlobStoreFaultsIT extends PipelineHarness {

    private static final Duration WAIT = Duration.ofSeconds(40);
    static final String SLOW_DOWN = "The blob store is unavailable (S3 answered HTTP 503 SlowDown)";

    /** The file store, failing with 503 SlowDown for the first {@code failures} reads. */
    static final class FlakyStore implements BlobReader {
        final FileBlobReader files = FileBlobReader.forSpec("file:" + FakeOpenAi.blobDir, 10 * 1024 * 1024);
        final AtomicInteger reads = new AtomicInteger();
        final int failures;

        FlakyStore(int failures) {
            this.failures = failures;
        }

        @Override
        public byte[] read(String uri) throws InvalidImageException {
            if (reads.incrementAndGet() <= failures) {
                throw new BlobStoreUnavailableException(SLOW_DOWN, null);
            }
            return files.read(uri);
        }

        @Override
        public String describe() {
            return files.describe();
        }
    }

    @Test
    void aStoreUnavailableThreeTimesDelaysTheReceiptWhichIsThenExtracted() {
        // Given a store that answers 503 SlowDown three times, then serves the image
        FlakyStore store = new FlakyStore(3);
        QuarkusMock.installMockForType(store, BlobReader.class);

        // When
        kafka.send("r-blob-flaky", TestImages.submitted("r-blob-flaky", TestImages.storedPng("r-blob-flaky")));

        // Then
        await().atMost(WAIT).until(() -> !kafka.on("extractions", "r-blob-flaky").isEmpty());
        JsonNode extracted = kafka.extraction("r-blob-flaky").json();
        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(store.reads).hasValue(4);
        await().atMost(WAIT).until(() -> kafka.stages("r-blob-flaky").contains("EXTRACTED"));
        assertThat(kafka.stages("r-blob-flaky")).doesNotContain("FAILED");
        assertThat(kafka.on("receipts-dlq", "r-blob-flaky")).isEmpty();
    }

    @Test
    void aStoreThatStaysUnavailableFailsTheReceiptAfterTheBudgetWithoutFlippingHealth() {
        // Given a store that never comes back
        FlakyStore store = new FlakyStore(Integer.MAX_VALUE);
        QuarkusMock.installMockForType(store, BlobReader.class);

        // When
        kafka.send("r-blob-down", TestImages.submitted("r-blob-down", TestImages.storedPng("r-blob-down")));

        // Then: while it is being retried, the service stays ready and live
        await().atMost(WAIT).until(() -> store.reads.get() >= 3);
        assertThat(kafka.stages("r-blob-down")).doesNotContain("FAILED");
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);

        // and once the 3 s budget is spent it ends FAILED, naming the store problem, and is dead-lettered
        await().atMost(WAIT).until(() -> !kafka.on("extractions", "r-blob-down").isEmpty()
                && !kafka.on("receipts-dlq", "r-blob-down").isEmpty());
        JsonNode extracted = kafka.extraction("r-blob-down").json();
        assertThat(extracted.get("outcome").asText()).isEqualTo("FAILED");
        assertThat(extracted.get("reason").asText()).startsWith(SLOW_DOWN + "; gave up after")
                .endsWith("(blob-store retry budget 3 s).");
        assertThat(kafka.on("receipts-dlq", "r-blob-down").get(0).deadLetterReason())
                .isEqualTo(extracted.get("reason").asText());
        assertThat(store.reads.get()).isGreaterThan(3);
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
    }
}
