package io.receiptranger.extractor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/** No OPENAI_API_KEY: receipts are read offline with Tesseract, end to end over real Kafka. */
@QuarkusTest
@TestProfile(OfflineExtractionIT.NoKey.class)
@QuarkusTestResource(KafkaLocalResource.class)
class OfflineExtractionIT {

    static final Path BLOBS;

    static {
        try {
            BLOBS = Files.createTempDirectory("extractor-offline-blobs-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("ranger.blob-store", "file:" + BLOBS, "ranger.model.api-key", "");
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    KafkaProbe kafka;

    @BeforeEach
    void setUp() {
        kafka = new KafkaProbe(bootstrap);
    }

    @AfterEach
    void tearDown() {
        kafka.close();
    }

    @Test
    void aReceiptPhotoIsReadOfflineWithoutAKey() throws IOException {
        // Given a real receipt photo in the blob store
        Path file = BLOBS.resolve("peak-yoga.jpg");
        try (InputStream in = OfflineExtractionIT.class.getResourceAsStream("/receipts/receipt-5423.jpg")) {
            Files.write(file, in.readAllBytes());
        }

        // When it is submitted
        kafka.send("r-offline-1", TestImages.submitted("r-offline-1", file.toUri().toString()));

        // Then it is extracted by the offline OCR
        await().atMost(Duration.ofSeconds(60)).until(() -> !kafka.on("extractions", "r-offline-1").isEmpty());
        JsonNode extracted = kafka.extraction("r-offline-1").json();
        assertThat(extracted.get("outcome").asText()).isEqualTo("EXTRACTED");
        assertThat(extracted.get("model").asText()).isEqualTo("offline-ocr");
        assertThat(extracted.at("/receipt/total").asText()).isEqualTo("167.61");
        assertThat(extracted.at("/receipt/date").asText()).isEqualTo("2025-10-05");
        assertThat(extracted.at("/receipt/vendor").asText()).isEqualToIgnoringCase("peak yoga studio");
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.stages("r-offline-1").contains("EXTRACTED"));
        assertThat(kafka.stages("r-offline-1").get(0)).isEqualTo("EXTRACTING");
    }
}
