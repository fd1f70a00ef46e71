package io.receiptranger.ingest.ops;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * The pipeline's backlog, measured from the broker (committed offsets against end offsets), so it
 * is known even when every extractor is down: {@code ranger_consumer_lag_records{group,topic}} for
 * the extractor's and the sink's groups, and {@code ranger_dlq_records{topic}}, the records held in
 * each dead-letter topic. Refreshed every {@code ranger.ops.lag-interval}; every ingest replica
 * measures the same figures (dashboards take {@code max}).
 */
@ApplicationScoped
public class PipelineLag {

    /** The consumer groups of CONTRACT §2's readers and the topic each one reads. */
    static final Map<String, String> GROUPS = new LinkedHashMap<>(Map.of("extractor", "receipts", "sheets-sink", "extractions"));
    static final List<String> DLQS = List.of("receipts-dlq", "extractions-dlq");

    private final KafkaOps kafka;
    private final Map<String, AtomicLong> lag = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> dlq = new ConcurrentHashMap<>();
    private volatile Admin admin;

    public PipelineLag(KafkaOps kafka, MeterRegistry registry) {
        this.kafka = kafka;
        GROUPS.forEach((group, topic) -> {
            AtomicLong value = new AtomicLong();
            lag.put(group, value);
            Gauge.builder("ranger.consumer.lag", value, AtomicLong::get).baseUnit("records")
                    .description("Records not yet processed by a consumer group (end offset - committed offset)")
                    .tags("group", group, "topic", topic).register(registry);
        });
        for (String topic : DLQS) {
            AtomicLong value = new AtomicLong();
            dlq.put(topic, value);
            Gauge.builder("ranger.dlq", value, AtomicLong::get).baseUnit("records")
                    .description("Records held in a dead-letter topic").tag("topic", topic).register(registry);
        }
    }

    /** The lag per group, as last measured. */
    public Map<String, Long> lag() {
        Map<String, Long> out = new LinkedHashMap<>();
        GROUPS.keySet().forEach(g -> out.put(g, lag.get(g).get()));
        return out;
    }

    /** The records per dead-letter topic, as last measured. */
    public Map<String, Long> deadLetters() {
        Map<String, Long> out = new LinkedHashMap<>();
        DLQS.forEach(t -> out.put(t, dlq.get(t).get()));
        return out;
    }

    @Scheduled(every = "${ranger.ops.lag-interval:15s}", delay = 1, delayUnit = TimeUnit.SECONDS,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void measure() {
        try {
            Admin client = admin();
            for (Map.Entry<String, String> g : GROUPS.entrySet()) {
                lag.get(g.getKey()).set(groupLag(client, g.getKey(), g.getValue()));
            }
            for (String topic : DLQS) {
                dlq.get(topic).set(held(client, topic));
            }
        } catch (Exception e) {
            // Kept at the last value: Kafka being away is the readiness check's and the broker's alert.
            Log.debugf("Could not measure consumer lag: %s", e.getMessage());
        }
    }

    private long groupLag(Admin client, String group, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = client.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
        Map<TopicPartition, Long> ends = offsets(client, topic, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(client, topic, OffsetSpec.earliest());
        long behind = 0;
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            // A partition the group never committed on is behind by all it holds.
            long from = done == null ? starts.getOrDefault(end.getKey(), 0L) : done.offset();
            behind += Math.max(0, end.getValue() - from);
        }
        return behind;
    }

    private long held(Admin client, String topic) throws Exception {
        Map<TopicPartition, Long> ends = offsets(client, topic, OffsetSpec.latest());
        Map<TopicPartition, Long> starts = offsets(client, topic, OffsetSpec.earliest());
        return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - starts.getOrDefault(e.getKey(), 0L))).sum();
    }

    private static Map<TopicPartition, Long> offsets(Admin client, String topic, OffsetSpec spec) throws Exception {
        var description = client.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS).get(topic);
        Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
        description.partitions().forEach(p -> ask.put(new TopicPartition(topic, p.partition()), spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        client.listOffsets(ask).all().get(5, TimeUnit.SECONDS).forEach((tp, info) -> out.put(tp, info.offset()));
        return out;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(kafka.properties(Map.of(
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(5).toMillis(),
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) Duration.ofSeconds(5).toMillis())));
        }
        return admin;
    }

    @PreDestroy
    void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
