package io.receiptranger.extractor.keys;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.config.CompactedTopicReader;
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

    private final ExtractorConfig.Settings config;
    private final Map<String, SettingsRecord> saved = new ConcurrentHashMap<>();
    /** Reads the topic into {@link #saved}; {@link #awaitCaughtUp()} waits on it. */
    private final CompactedTopicReader reader;

    public OwnerModelKeys(@Identifier("default-kafka-broker") Map<String, Object> kafka, ExtractorConfig config) {
        this.config = config.settings();
        this.reader = CompactedTopicReader.of(KafkaConnection.of(kafka), this.config.topic())
                .clientId("extractor-owner-settings")
                .threadName("owner-settings-tail")
                // The deployment creates the topic compacted; a reader must never create it with the
                // broker's defaults (not compacted) before that.
                .consumerProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                .topicWait(Duration.ofSeconds(2))
                .missingTopicWarning("The topic %s does not exist yet: no owner has a model key of their own", true)
                .unreachableWarning("Kafka is not reachable at %s yet; waiting to read %s")
                // No topic: nobody has saved a key. Receipts go on with the deployment's choice meanwhile.
                .absentTopicIsCaughtUp()
                // Records are idempotent facts: start over from the beginning. Only the exception's class is
                // logged: a message might quote a record (a ciphertext).
                .onFailure((e, retryIn) -> Log.errorf("The owner-settings reader failed (%s); restarting it",
                        e.getClass().getSimpleName()))
                .build(this::apply);
    }

    void onStart(@Observes StartupEvent event) {
        reader.start();
    }

    @PreDestroy
    void stop() {
        reader.stop();
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
        try {
            reader.awaitCaughtUp(config.catchUpTimeout(), config.catchUpTimeout());
        } catch (CompactedTopicReader.NotCaughtUpException e) {
            throw new SettingsUnavailableException();
        }
    }

    /** One owner-settings record (value null = a tombstone); only the model-key records are this class's. */
    private void apply(String key, String value, int partition, long offset) {
        if (key == null || !key.startsWith("model-key:")) {
            return;
        }
        String owner = key.substring("model-key:".length());
        if (value == null) {
            saved.remove(owner);
            return;
        }
        try {
            SettingsRecord setting = Json.MAPPER.readValue(value, SettingsRecord.class);
            if (SettingsRecord.MODEL_KEY_SAVED.equals(setting.type()) && owner.equals(setting.owner())
                    && setting.encryptedKey() != null) {
                saved.put(owner, setting);
            } else if (SettingsRecord.MODEL_KEY_DELETED.equals(setting.type())) {
                saved.remove(owner);
            }
        } catch (Exception e) {
            // Jackson's message may quote the record (a ciphertext): only the position is logged.
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", partition, offset);
        }
    }
}
