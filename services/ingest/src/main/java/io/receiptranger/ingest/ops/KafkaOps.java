package io.receiptranger.ingest.ops;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.common.annotation.Identifier;

/**
 * Client settings for the ingest's own Kafka clients (lag, dead letters): the connector's
 * {@code kafka.*} configuration (bootstrap servers and, on ECS/MSK, the SASL settings), so these
 * clients reach the broker exactly as the channels do.
 */
@ApplicationScoped
public class KafkaOps {

    private final Map<String, Object> broker;

    public KafkaOps(@Identifier("default-kafka-broker") Map<String, Object> broker) {
        this.broker = broker;
    }

    /** The connector's settings plus {@code extra}; only what a plain client understands. */
    Properties properties(Map<String, Object> extra) {
        Map<String, Object> all = new HashMap<>();
        broker.forEach((k, v) -> {
            // The connector's own keys (channel wiring, health) mean nothing to a client.
            if (k.contains(".") && !k.startsWith("health") && !k.startsWith("topic")) {
                all.put(k, v);
            }
        });
        all.putAll(extra);
        Properties props = new Properties();
        props.putAll(all);
        return props;
    }
}
