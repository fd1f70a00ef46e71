package io.receiptranger.sheets.sheets;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.config.KafkaConnection;
import io.smallrye.common.annotation.Identifier;

/**
 * The owners' settings the sink acts on, from the compacted topic {@code owner-settings}: the
 * spreadsheets they connected themselves ({@code SpreadsheetConnected}) and whether they review their
 * receipts before they are written ({@code ReviewSettingSaved}). Every sink replica reads the topic
 * from the beginning (a plain consumer with {@code assign()}, no group) and keeps tailing it, so a
 * setting saved through any ingest reaches every sink and survives redeploys. The model-key records
 * on the same topic are skipped unread: the sink has no use for them.
 */
@ApplicationScoped
public class OwnerSpreadsheets {

    static final String TOPIC = "owner-settings";
    static final String PREFIX = "spreadsheet:";
    static final String REVIEW_PREFIX = "review:";

    /** A spreadsheet fact as the sink reads it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SpreadsheetFact(String type, String owner, String spreadsheetId) {
    }

    /** A review setting as the sink reads it. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReviewFact(String type, String owner, Boolean review) {
    }

    private final String bootstrap;
    private final Properties connection;
    private final ObjectMapper json;
    private final Map<String, String> connected = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reviewing = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private KafkaConsumer<String, String> consumer;
    private Thread tail;

    public OwnerSpreadsheets(@Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper json) {
        this.connection = KafkaConnection.of(kafka);
        this.bootstrap = connection.getProperty("bootstrap.servers");
        this.json = json;
    }

    void onStart(@Observes StartupEvent event) {
        tail = new Thread(this::run, "owner-settings-tail");
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
    }

    /** Whether this owner reviews their receipts before they are written (off unless they turned it on). */
    public boolean reviews(String owner) {
        return owner != null && reviewing.getOrDefault(owner, false);
    }

    /** The spreadsheet this owner connected, if any. */
    public Optional<String> forOwner(String owner) {
        return Optional.ofNullable(connected.get(owner));
    }

    private void run() {
        while (running) {
            try {
                tail();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                Log.errorf("The owner-settings reader failed (%s); restarting it", e.getClass().getSimpleName());
                sleep(1000);
            }
        }
    }

    private void tail() {
        Properties props = new Properties();
        props.putAll(connection);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sheets-sink-owner-settings");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> partitions = awaitPartitions();
            if (partitions.isEmpty()) {
                return;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
            }
        } finally {
            consumer.close();
        }
    }

    private List<TopicPartition> awaitPartitions() {
        boolean warned = false;
        while (running) {
            try {
                List<PartitionInfo> infos = consumer.partitionsFor(TOPIC, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                if (!warned) {
                    Log.warnf("The topic %s does not exist yet: no owner has connected a spreadsheet", TOPIC);
                    warned = true;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                Log.warnf("Kafka is not reachable at %s yet; waiting to read %s", bootstrap, TOPIC);
            }
            sleep(2000);
        }
        return List.of();
    }

    void apply(ConsumerRecord<String, String> record) {
        if (record.key() != null && record.key().startsWith(REVIEW_PREFIX)) {
            applyReview(record);
            return;
        }
        if (record.key() == null || !record.key().startsWith(PREFIX)) {
            return;
        }
        String owner = record.key().substring(PREFIX.length());
        if (record.value() == null) {
            connected.remove(owner);
            return;
        }
        try {
            SpreadsheetFact fact = json.readValue(record.value(), SpreadsheetFact.class);
            if ("SpreadsheetConnected".equals(fact.type()) && owner.equals(fact.owner()) && fact.spreadsheetId() != null) {
                connected.put(owner, fact.spreadsheetId());
            } else if ("SpreadsheetDisconnected".equals(fact.type())) {
                connected.remove(owner);
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", record.partition(),
                    record.offset());
        }
    }

    private void applyReview(ConsumerRecord<String, String> record) {
        String owner = record.key().substring(REVIEW_PREFIX.length());
        if (record.value() == null) {
            reviewing.remove(owner);
            return;
        }
        try {
            ReviewFact fact = json.readValue(record.value(), ReviewFact.class);
            // A record whose owner is not its key's is not that owner's setting.
            if ("ReviewSettingSaved".equals(fact.type()) && owner.equals(fact.owner()) && fact.review() != null) {
                reviewing.put(owner, fact.review());
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", record.partition(), record.offset());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
