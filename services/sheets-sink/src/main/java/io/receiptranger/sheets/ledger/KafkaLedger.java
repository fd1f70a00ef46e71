package io.receiptranger.sheets.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.config.KafkaConnection;
import io.receiptranger.sheets.config.SinkConfig;
import io.smallrye.common.annotation.Identifier;

/**
 * The ledger kept in the compacted topic {@code sheets-ledger} (key = receiptId), so that no
 * replica needs a disk: each replica reads the whole topic from the beginning at startup (a plain
 * consumer with {@code assign()}, no group) and keeps tailing it, so it also sees what other
 * replicas write. Writes go through an idempotent {@code acks=all} producer and are visible locally
 * as soon as Kafka acknowledged them.
 */
@ApplicationScoped
public class KafkaLedger implements Ledger {

    private final String bootstrap;
    private final Properties connection;
    private final SinkConfig.Ledger config;
    private final ObjectMapper json;
    private final Map<String, Versioned> entries = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile Map<TopicPartition, Long> startupTarget;
    private volatile boolean ready;
    private volatile boolean running = true;
    private KafkaProducer<String, String> producer;
    private KafkaConsumer<String, String> consumer;
    private Admin admin;
    private Thread tail;

    public KafkaLedger(@Identifier("default-kafka-broker") Map<String, Object> kafka, SinkConfig config, ObjectMapper json) {
        this.connection = KafkaConnection.of(kafka);
        this.bootstrap = connection.getProperty("bootstrap.servers");
        this.config = config.ledger();
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        Properties producerProps = new Properties();
        producerProps.putAll(connection);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "sheets-sink-ledger");
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        Properties adminProps = new Properties();
        adminProps.putAll(connection);
        admin = Admin.create(adminProps);
        tail = new Thread(this::run, "sheets-ledger-tail");
        tail.setDaemon(true);
        tail.start();
    }

    @PreDestroy
    void stop() {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (tail != null) {
            try {
                tail.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    private void run() {
        while (running) {
            try {
                tail();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Keep the ledger alive through broker hiccups: start over, entries are idempotent.
                Log.error("The ledger reader failed; restarting it", e);
                sleep(1000);
            }
        }
    }

    private void tail() {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sheets-sink-ledger-reader");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            if (startupTarget == null) {
                startupTarget = consumer.endOffsets(partitions);
            }
            Log.infof("Reading the ledger from %s (%d partitions)", config.topic(), partitions.size());
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record.key(), record.value(), record.partition(), record.offset());
                }
                for (TopicPartition partition : partitions) {
                    positions.put(partition, consumer.position(partition));
                }
                if (!ready && caughtUpTo(startupTarget)) {
                    ready = true;
                    Log.infof("Ledger rebuilt: %d receipts", entries.size());
                }
            }
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                Log.warnf("The ledger topic %s does not exist yet; waiting", config.topic());
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                Log.warnf("Kafka is not reachable at %s yet; waiting to rebuild the ledger", bootstrap);
            }
            sleep(1000);
        }
        return List.of();
    }

    private void apply(String key, String value, int partition, long offset) {
        if (key == null) {
            return;
        }
        if (value == null) {
            entries.compute(key, (k, old) -> old != null && old.offset > offset ? old : null);
            return;
        }
        try {
            LedgerEntry entry = json.readValue(value, LedgerEntry.class);
            entries.compute(key, (k, old) -> old != null && old.offset >= offset ? old : new Versioned(entry, offset));
        } catch (JsonProcessingException e) {
            Log.warnf("Skipping an unreadable ledger record at %s-%d@%d", config.topic(), partition, offset);
        }
    }

    private boolean caughtUpTo(Map<TopicPartition, Long> target) {
        return target != null && target.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    @Override
    public Optional<LedgerEntry> get(String receiptId) {
        Versioned versioned = entries.get(receiptId);
        return versioned == null ? Optional.empty() : Optional.of(versioned.entry);
    }

    @Override
    public void record(List<LedgerEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            for (LedgerEntry entry : batch) {
                sent.add(producer.send(new ProducerRecord<>(config.topic(), entry.receiptId(), json.writeValueAsString(entry))));
            }
            for (int i = 0; i < batch.size(); i++) {
                RecordMetadata meta = sent.get(i).get(30, TimeUnit.SECONDS);
                LedgerEntry entry = batch.get(i);
                entries.compute(entry.receiptId(), (k, old) -> old != null && old.offset >= meta.offset() ? old : new Versioned(entry, meta.offset()));
            }
        } catch (JsonProcessingException | ExecutionException | TimeoutException e) {
            throw new LedgerUnavailableException("could not record " + batch.size() + " ledger entries in Kafka", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted while recording ledger entries", e);
        }
    }

    @Override
    public List<LedgerEntry> all() {
        List<LedgerEntry> out = new ArrayList<>();
        entries.values().forEach(v -> out.add(v.entry));
        out.sort(Comparator.comparing((LedgerEntry e) -> e.recordedAt() == null ? java.time.Instant.EPOCH : e.recordedAt())
                .thenComparing(LedgerEntry::receiptId));
        return out;
    }

    @Override
    public void awaitCaughtUp() {
        long deadline = System.nanoTime() + config.catchUpTimeout().toNanos();
        Map<TopicPartition, Long> target;
        try {
            while (startupTarget == null) {
                if (System.nanoTime() > deadline) {
                    throw new LedgerUnavailableException("the ledger topic " + config.topic() + " is not readable yet", null);
                }
                sleep(50);
            }
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            startupTarget.keySet().forEach(tp -> request.put(tp, OffsetSpec.latest()));
            target = new HashMap<>();
            for (var e : admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet()) {
                target.put(e.getKey(), e.getValue().offset());
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new LedgerUnavailableException("could not read the ledger's end offsets", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerUnavailableException("interrupted", e);
        }
        while (!caughtUpTo(target)) {
            if (System.nanoTime() > deadline) {
                throw new LedgerUnavailableException("the ledger copy did not catch up within " + config.catchUpTimeout(), null);
            }
            sleep(20);
        }
    }

    @Override
    public boolean ready() {
        return ready;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Versioned(LedgerEntry entry, long offset) {
    }
}
