package io.receiptranger.ingest.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import io.receiptranger.ingest.KafkaTestClient;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/** A replica is ready only once its views have read the topics up to where they ended at start-up. */
class CatchUpIT {

    static KafkaLocalProcess kafka;

    @BeforeAll
    static void start() {
        kafka = KafkaLocalProcess.start();
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Test
    void notReadyUntilEveryRecordPresentAtStartHasBeenRead() {
        // Given three records already on the topics
        try (KafkaTestClient client = new KafkaTestClient(kafka.bootstrapServers())) {
            client.send("receipts", "r-1", "{}");
            client.send("receipt-status", "r-1", "{}");
            client.send("receipt-status", "r-1", "{}");
        }
        IngestConfig config = Mockito.mock(IngestConfig.class, Mockito.RETURNS_DEEP_STUBS);
        Mockito.when(config.views().awaitCatchUp()).thenReturn(true);
        CatchUp catchUp = new CatchUp(Map.of("bootstrap.servers", kafka.bootstrapServers()), config);

        // Then: down, three behind
        HealthCheckResponse before = catchUp.check();
        assertThat(before.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(before.getData().orElseThrow()).containsEntry("recordsBehind", 3L);

        // When the views have read them (same key: same partition, offsets 0 and 1)
        int receiptsPartition = partitionOf(catchUp, "receipts");
        int statusPartition = partitionOf(catchUp, "receipt-status");
        catchUp.consumed("receipts", receiptsPartition, 0);
        catchUp.consumed("receipt-status", statusPartition, 1);

        // Then up, and it stays up
        assertThat(catchUp.check().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        assertThat(catchUp.check().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }

    static int partitionOf(CatchUp catchUp, String topic) {
        return catchUp.targets().entrySet().stream()
                .filter(e -> e.getKey().topic().equals(topic) && e.getValue() > 0)
                .findFirst().orElseThrow().getKey().partition();
    }
}
