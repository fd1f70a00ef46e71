package io.receiptranger.sheets.ledger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.config.CompactedTopicReader;
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

    private final Properties connection;
    private final SinkConfig.Ledger config;
    private final ObjectMapper json;
    private final Map<String, Versioned> entries = new ConcurrentHashMap<>();
    /** Reads the topic into {@link #entries}; its progress is this ledger's readiness. */
    private final CompactedTopicReader reader;
    private KafkaProducer<String, String> producer;

    public KafkaLedger(@Identifier("default-kafka-broker") Map<String, Object> kafka, SinkConfig config, ObjectMapper json) {
        this.connection = KafkaConnection.of(kafka);
        this.config = config.ledger();
        this.json = json;
        this.reader = CompactedTopicReader.of(connection, this.config.topic())
                .clientId("sheets-sink-ledger-reader")
                .threadName("sheets-ledger-tail")
                .missingTopicWarning("The ledger topic %s does not exist yet; waiting", false)
                .unreachableWarning("Kafka is not reachable at %s yet; waiting to rebuild the ledger")
                // Keep the ledger alive through broker hiccups: start over, entries are idempotent.
                .onFailure((e, retryIn) -> Log.error("The ledger reader failed; restarting it", e))
                .onRewind(partitions -> Log.infof("Reading the ledger from %s (%d partitions)", this.config.topic(),
                        partitions.size()))
                .onCaughtUp(() -> Log.infof("Ledger rebuilt: %d receipts", entries.size()))
                .build(this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        Properties producerProps = new Properties();
        producerProps.putAll(connection);
        producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
        producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        producerProps.put(ProducerConfig.CLIENT_ID_CONFIG, "sheets-sink-ledger");
        // Every record() is awaited before the batch goes on (PENDING before the write, WRITTEN before the
        // statuses): 1 ms of linger instead of the client's 5 ms default, as for the other producers.
        producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 1);
        producer = new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer());
        reader.start();
    }

    @PreDestroy
    void stop() {
        reader.stop();
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
    }

    /** One ledger record: the later offset wins, so a write this replica saw acknowledged is never undone by an older record. */
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
        try {
            reader.awaitCaughtUp(config.catchUpTimeout(), Duration.ofSeconds(10));
        } catch (CompactedTopicReader.NotCaughtUpException e) {
            throw switch (e.reason()) {
                case NOT_READABLE -> new LedgerUnavailableException("the ledger topic " + config.topic() + " is not readable yet", null);
                case END_OFFSETS_UNKNOWN -> e.getCause() instanceof InterruptedException
                        ? new LedgerUnavailableException("interrupted", e.getCause())
                        : new LedgerUnavailableException("could not read the ledger's end offsets", e.getCause());
                case TOO_SLOW -> new LedgerUnavailableException("the ledger copy did not catch up within " + config.catchUpTimeout(), null);
            };
        }
    }

    @Override
    public boolean ready() {
        return reader.caughtUpWithStart();
    }

    private record Versioned(LedgerEntry entry, long offset) {
    }
}
