package io.receiptranger.ingest.messaging;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.config.KafkaConnection;
import io.smallrye.common.annotation.Identifier;

/**
 * Readiness of the views: a replica is ready only once it has read each topic up to the end offsets
 * it saw when it started, so a browser that reconnects to it gets a correct snapshot. The end
 * offsets are fetched once (on the first check that can reach Kafka); after catching up, the check
 * stays up (the views then follow live).
 */
@ApplicationScoped
public class CatchUp {

    static final List<String> TOPICS = List.of("receipts", "receipt-status", "extractions", "owner-settings", "owner-tokens");

    private final String bootstrap;
    private final Properties connection;
    private final boolean enabled;
    private final Map<TopicPartition, Long> consumed = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> targets;
    private volatile boolean caughtUp;

    public CatchUp(@Identifier("default-kafka-broker") Map<String, Object> kafka,
            IngestConfig config) {
        this.connection = KafkaConnection.of(kafka);
        this.bootstrap = connection.getProperty("bootstrap.servers");
        this.enabled = config.views().awaitCatchUp();
    }

    public void consumed(String topic, int partition, long offset) {
        consumed.merge(new TopicPartition(topic, partition), offset, Math::max);
    }

    public HealthCheckResponse check() {
        String name = "batch views caught up";
        if (!enabled || caughtUp) {
            return HealthCheckResponse.up(name);
        }
        try {
            if (targets == null) {
                targets = endOffsets();
            }
        } catch (Exception e) {
            return HealthCheckResponse.named(name).down().withData("reason", "Kafka not reachable: " + e.getMessage()).build();
        }
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> t : targets.entrySet()) {
            long next = consumed.getOrDefault(t.getKey(), -1L) + 1;
            behind += Math.max(0, t.getValue() - next);
        }
        if (behind == 0) {
            caughtUp = true;
            Log.info("Batch views caught up with the topics");
            return HealthCheckResponse.up(name);
        }
        return HealthCheckResponse.named(name).down().withData("recordsBehind", behind).build();
    }

    /** The end offsets this replica waits for (null until the first check reached Kafka). */
    Map<TopicPartition, Long> targets() {
        return targets;
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        try (Admin admin = Admin.create(props)) {
            Map<String, TopicDescription> topics = admin.describeTopics(TOPICS).allTopicNames().get(5, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
            topics.values().forEach(d -> d.partitions().forEach(p -> {
                TopicPartition tp = new TopicPartition(d.name(), p.partition());
                latest.put(tp, OffsetSpec.latest());
                earliest.put(tp, OffsetSpec.earliest());
            }));
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> starts = admin.listOffsets(earliest).all()
                    .get(5, TimeUnit.SECONDS);
            Map<TopicPartition, Long> result = new HashMap<>();
            // A partition whose records have all expired has nothing to read: nothing to wait for.
            ends.forEach((tp, info) -> {
                if (info.offset() > starts.get(tp).offset()) {
                    result.put(tp, info.offset());
                }
            });
            return result;
        }
    }
}
