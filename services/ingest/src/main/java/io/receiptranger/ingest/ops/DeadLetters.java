package io.receiptranger.ingest.ops;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.receiptranger.ingest.view.BatchViews;
import io.receiptranger.ingest.view.ReceiptView;

/**
 * The dead-letter topics for an operator: lists what {@code receipts-dlq} and {@code extractions-dlq}
 * hold (newest {@code ranger.ops.dlq-list-limit} per topic) and replays records to the topic they
 * came from, so the receipt goes the normal way again.
 *
 * <p>A replay first publishes a {@code receipt-status} with {@code "replay": true} (QUEUED for a
 * receipt, EXTRACTED for an extraction): the views reopen a FAILED receipt from there — the only
 * way out of a terminal stage — and then follow it forward to its one new terminal stage. A receipt
 * whose view already reached another terminal stage (a second replay) is skipped; should one slip
 * through (an unknown batch), the extractor reads it again and the sink, finding it in its ledger,
 * re-publishes WRITTEN without a second row.
 */
@ApplicationScoped
public class DeadLetters {

    /** Each dead-letter topic, the topic its records came from, and the service that gave up on them. */
    static final Map<String, String[]> TOPICS = Map.of(
            "receipts-dlq", new String[] {"receipts", "extractor"},
            "extractions-dlq", new String[] {"extractions", "sheets-sink"});
    /** Header that marks a replayed record, with the dead letter's id. */
    public static final String REPLAYED_FROM = "ranger-replayed-from";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    private final KafkaOps kafka;
    private final ReceiptPublisher publisher;
    private final BatchViews views;
    private final int limit;
    private final Duration ackTimeout;

    public DeadLetters(KafkaOps kafka, ReceiptPublisher publisher, BatchViews views, IngestConfig config) {
        this.kafka = kafka;
        this.publisher = publisher;
        this.views = views;
        this.limit = config.ops().dlqListLimit();
        this.ackTimeout = config.upload().kafkaAckTimeout();
    }

    /** Which dead letters to act on: all fields optional, all given must match. */
    public record Filter(String topic, String receiptId, String reason, List<String> ids) {

        static final Filter ALL = new Filter(null, null, null, null);

        boolean matches(DeadLetter d) {
            return (topic == null || topic.equals(d.topic()))
                    && (receiptId == null || receiptId.equals(d.receiptId()))
                    && (reason == null || (d.reason() != null
                            && d.reason().toLowerCase(Locale.ROOT).contains(reason.toLowerCase(Locale.ROOT))))
                    && (ids == null || ids.isEmpty() || ids.contains(d.id()));
        }
    }

    /** One record of a dead-letter topic, as an operator needs it (never its value: images, owner data). */
    public record DeadLetter(String id, String topic, int partition, long offset, String receiptId, String batchId,
            String reason, String originalTopic, String service, Instant at) {
    }

    /** What a replay did. */
    public record Replayed(List<String> replayed, List<Skipped> skipped) {
    }

    /** A dead letter not replayed, and why. */
    public record Skipped(String id, String receiptId, String why) {
    }

    /** The dead letters that match, newest first. */
    public List<DeadLetter> list(Filter filter) {
        List<DeadLetter> all = new ArrayList<>();
        for (String topic : TOPICS.keySet()) {
            if (filter.topic() == null || filter.topic().equals(topic)) {
                read(topic, (record, letter) -> {
                    if (filter.matches(letter)) {
                        all.add(letter);
                    }
                });
            }
        }
        all.sort(Comparator.comparing(DeadLetter::at, Comparator.nullsLast(Comparator.reverseOrder())));
        return all;
    }

    /** Replays the dead letters that match to the topics they came from. */
    public Replayed replay(Filter filter) {
        List<String> replayed = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (String topic : TOPICS.keySet()) {
            if (filter.topic() != null && !filter.topic().equals(topic)) {
                continue;
            }
            read(topic, (record, letter) -> {
                if (!filter.matches(letter)) {
                    return;
                }
                Optional<String> why = reasonToSkip(letter, record.value());
                if (why.isPresent()) {
                    skipped.add(new Skipped(letter.id(), letter.receiptId(), why.get()));
                    return;
                }
                Stage restart = "receipts".equals(letter.originalTopic()) ? Stage.QUEUED : Stage.EXTRACTED;
                ReceiptStatus reopen = letter.batchId() == null ? null
                        : new ReceiptStatus(letter.receiptId(), letter.batchId(), restart,
                                "replayed from " + letter.topic() + " by an operator", ReceiptStatus.SERVICE, Instant.now(), true);
                publisher.replay(letter.originalTopic(), record.key(), new String(record.value(), StandardCharsets.UTF_8),
                        Map.of(REPLAYED_FROM, letter.id()), reopen, ackTimeout);
                replayed.add(letter.id());
                Log.infof("Replayed dead letter %s (receipt %s) to %s", letter.id(), letter.receiptId(), letter.originalTopic());
            });
        }
        return new Replayed(replayed, skipped);
    }

    private Optional<String> reasonToSkip(DeadLetter letter, byte[] value) {
        if (value == null || letter.receiptId() == null) {
            return Optional.of("the record has no receipt to replay (" + letter.reason() + ")");
        }
        if (letter.batchId() != null) {
            Optional<ReceiptView> view = views.receipt(letter.batchId(), letter.receiptId());
            if (view.isPresent() && view.get().stage() != null && view.get().stage().terminal()
                    && view.get().stage() != Stage.FAILED) {
                return Optional.of("the receipt has already reached " + view.get().stage());
            }
        }
        return Optional.empty();
    }

    /** Reads the newest records of a dead-letter topic up to its end offsets. */
    private void read(String topic, RecordVisitor visitor) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 2 * 1024 * 1024 + 65536);
        settings.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) READ_TIMEOUT.toMillis());
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        java.util.Properties props = kafka.properties(settings);
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, READ_TIMEOUT);
            if (partitions == null || partitions.isEmpty()) {
                return;
            }
            List<TopicPartition> assigned = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, READ_TIMEOUT);
            Map<TopicPartition, Long> starts = consumer.beginningOffsets(assigned, READ_TIMEOUT);
            Map<TopicPartition, Long> remaining = new HashMap<>();
            for (TopicPartition tp : assigned) {
                long from = Math.max(starts.get(tp), ends.get(tp) - limit);
                consumer.seek(tp, from);
                if (ends.get(tp) > from) {
                    remaining.put(tp, ends.get(tp));
                }
            }
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (!remaining.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                    Long end = remaining.get(tp);
                    if (end == null || record.offset() >= end) {
                        continue;
                    }
                    visitor.visit(record, letter(record));
                    if (record.offset() + 1 >= end) {
                        remaining.remove(tp);
                    }
                }
            }
        }
    }

    private static DeadLetter letter(ConsumerRecord<String, byte[]> record) {
        String[] origin = TOPICS.get(record.topic());
        String receiptId = record.key();
        String batchId = null;
        if (record.value() != null) {
            try {
                JsonNode value = JSON.readTree(record.value());
                if (value != null && value.isObject()) {
                    receiptId = receiptId != null ? receiptId : text(value.get("receiptId"));
                    batchId = text(value.get("batchId"));
                }
            } catch (java.io.IOException e) {
                // Not JSON: that is usually why it is here; the reason header says so.
            }
        }
        // Replayed only to the topic this dead-letter topic belongs to, whatever a header claims.
        return new DeadLetter(record.topic() + ":" + record.partition() + ":" + record.offset(), record.topic(),
                record.partition(), record.offset(), receiptId, batchId, header(record, "dead-letter-reason"),
                origin[0], origin[1],
                Instant.ofEpochMilli(record.timestamp()));
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    private interface RecordVisitor {
        void visit(ConsumerRecord<String, byte[]> record, DeadLetter letter);
    }
}
