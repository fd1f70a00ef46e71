package io.receiptranger.extractor.it;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the pipeline ITs share: the fake model answers with the end-to-end reading, and a
 * {@link KafkaProbe} on the test's broker sends records and reads what the extractor published.
 * Each subclass still names its own test resources (Kafka, the fake model).
 */
abstract class PipelineHarness {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    KafkaProbe kafka;

    @BeforeEach
    void startProbe() {
        FakeOpenAi.stubReading(FakeOpenAi.E2E_READING);
        kafka = new KafkaProbe(bootstrap);
    }

    @AfterEach
    void closeProbe() {
        kafka.close();
    }
}
