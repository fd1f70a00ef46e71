package io.receiptranger.kafkalocal;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a {@code @QuarkusTest} a real Kafka broker: the same launcher `./ranger up` runs, as a
 * child process on free ports. Dev Services stay off (no Docker here).
 */
public class KafkaLocalResource implements QuarkusTestResourceLifecycleManager {

    private KafkaLocalProcess kafka;

    @Override
    public Map<String, String> start() {
        kafka = KafkaLocalProcess.start();
        return Map.of("kafka.bootstrap.servers", kafka.bootstrapServers());
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
    }
}
