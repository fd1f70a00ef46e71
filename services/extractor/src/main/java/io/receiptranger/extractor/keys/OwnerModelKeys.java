package io.receiptranger.extractor.keys;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.config.KafkaConnection;
import io.smallrye.common.annotation.Identifier;

/**
 * The owners' saved model keys, as ciphertext: every replica reads the compacted topic
 * {@code owner-settings} from the beginning (a plain consumer with {@code assign()}, no group) and
 * keeps tailing it. Before a receipt is read, {@link #awaitCaughtUp()} waits until this copy has reached
 * the topic's current end, so a key saved just before an upload is the key that upload is read with.
 */
@ApplicationScoped
public class OwnerModelKeys implements SavedModelKeys {

    private final String bootstrap;
    private final Properties connection;
    private final ExtractorConfig.Settings config;
    private final Map<String, SettingsRecord> saved = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    private volatile List<TopicPartition> partitions;
    private volatile boolean running = true;
    private KafkaConsumer<String, String> consumer;
    private Admin admin;
    private Thread tail;

    public OwnerModelKeys(@Identifier("default-kafka-broker") Map<String, Object> kafka, ExtractorConfig config) {
        this.connection = KafkaConnection.of(kafka);
        this.bootstrap = connection.getProperty("bootstrap.servers");
        this.config = config.settings();
    }

    void onStart(@Observes StartupEvent event) {
        Properties adminProps = new Properties();
        adminProps.putAll(connection);
        admin = Admin.create(adminProps);
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
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
    }

    /** The owner's saved key (ciphertext, endpoint, model), if any. */
    @Override
    public Optional<SettingsRecord> forOwner(String owner) {
        return Optional.ofNullable(saved.get(owner));
    }

    /**
     * Waits until this copy has read the topic up to its end offsets as of now.
     *
     * @throws SettingsUnavailableException when that takes longer than {@code ranger.settings.catch-up-timeout}
     */
    @Override
    public void awaitCaughtUp() {
        long deadline = System.nanoTime() + config.catchUpTimeout().toNanos();
        while (partitions == null) {
            if (System.nanoTime() > deadline) {
                throw new SettingsUnavailableException();
            }
            sleep(20);
        }
        List<TopicPartition> known = partitions;
        if (known.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> target = new HashMap<>();
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            known.forEach(tp -> request.put(tp, OffsetSpec.latest()));
            admin.listOffsets(request).all().get(config.catchUpTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> target.put(tp, info.offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SettingsUnavailableException();
        } catch (Exception e) {
            throw new SettingsUnavailableException();
        }
        while (!target.entrySet().stream().allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue())) {
            if (System.nanoTime() > deadline) {
                throw new SettingsUnavailableException();
            }
            sleep(10);
        }
    }

    private void run() {
        while (running) {
            try {
                tail();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Records are idempotent facts: start over from the beginning.
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
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "extractor-owner-settings");
        consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        try {
            List<TopicPartition> assigned = awaitPartitions();
            if (assigned.isEmpty()) {
                return;
            }
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            partitions = assigned;
            while (running) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    apply(record);
                }
                for (TopicPartition partition : assigned) {
                    positions.put(partition, consumer.position(partition));
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
                List<PartitionInfo> infos = consumer.partitionsFor(config.topic(), Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                // No topic: nobody has saved a key. Receipts go on with the deployment's choice meanwhile.
                if (partitions == null) {
                    partitions = List.of();
                }
                if (!warned) {
                    Log.warnf("The topic %s does not exist yet: no owner has a model key of their own", config.topic());
                    warned = true;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                Log.warnf("Kafka is not reachable at %s yet; waiting to read %s", bootstrap, config.topic());
            }
            sleep(2000);
        }
        return List.of();
    }

    private void apply(ConsumerRecord<String, String> record) {
        if (record.key() == null || !record.key().startsWith("model-key:")) {
            return;
        }
        String owner = record.key().substring("model-key:".length());
        if (record.value() == null) {
            saved.remove(owner);
            return;
        }
        try {
            SettingsRecord value = Json.MAPPER.readValue(record.value(), SettingsRecord.class);
            if (SettingsRecord.MODEL_KEY_SAVED.equals(value.type()) && owner.equals(value.owner())
                    && value.encryptedKey() != null) {
                saved.put(owner, value);
            } else if (SettingsRecord.MODEL_KEY_DELETED.equals(value.type())) {
                saved.remove(owner);
            }
        } catch (Exception e) {
            // Jackson's message may quote the record (a ciphertext): only the position is logged.
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", record.partition(),
                    record.offset());
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
