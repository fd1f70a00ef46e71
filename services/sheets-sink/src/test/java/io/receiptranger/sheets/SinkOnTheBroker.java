package io.receiptranger.sheets;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.receiptranger.fakesheets.FakeSheets;

/**
 * What a {@code @QuarkusTest} of the sink on the real broker and the fake Sheets server starts from:
 * the probe that sends to and reads the sink's topics, and the fake's spreadsheets to look at.
 */
abstract class SinkOnTheBroker {

    static KafkaProbe kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProbe(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static FakeSheets fake() {
        return FakeSheetsResource.fake();
    }
}
