package io.receiptranger.sheets.sheets;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.config.CompactedTopicReader;
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

    private final ObjectMapper json;
    private final Map<String, String> connected = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reviewing = new ConcurrentHashMap<>();
    /** Reads the topic into {@link #connected} and {@link #reviewing}. */
    private final CompactedTopicReader reader;

    public OwnerSpreadsheets(@Identifier("default-kafka-broker") Map<String, Object> kafka, ObjectMapper json) {
        this.json = json;
        this.reader = CompactedTopicReader.of(KafkaConnection.of(kafka), TOPIC)
                .clientId("sheets-sink-owner-settings")
                .threadName("owner-settings-tail")
                // The deployment creates the topic compacted; a reader must never create it with the
                // broker's defaults (not compacted) before that.
                .consumerProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                .topicWait(Duration.ofSeconds(2))
                .missingTopicWarning("The topic %s does not exist yet: no owner has connected a spreadsheet", true)
                .unreachableWarning("Kafka is not reachable at %s yet; waiting to read %s")
                // Only the exception's class: the topic also carries model keys (ciphertext) a message might quote.
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

    /** Whether this owner reviews their receipts before they are written (off unless they turned it on). */
    public boolean reviews(String owner) {
        return owner != null && reviewing.getOrDefault(owner, false);
    }

    /** The spreadsheet this owner connected, if any. */
    public Optional<String> forOwner(String owner) {
        return Optional.ofNullable(connected.get(owner));
    }

    /** One owner-settings record (value null = a tombstone); package-visible for tests. */
    void apply(String key, String value, int partition, long offset) {
        if (key != null && key.startsWith(REVIEW_PREFIX)) {
            applyReview(key, value, partition, offset);
            return;
        }
        if (key == null || !key.startsWith(PREFIX)) {
            return;
        }
        String owner = key.substring(PREFIX.length());
        if (value == null) {
            connected.remove(owner);
            return;
        }
        try {
            SpreadsheetFact fact = json.readValue(value, SpreadsheetFact.class);
            if ("SpreadsheetConnected".equals(fact.type()) && owner.equals(fact.owner()) && fact.spreadsheetId() != null) {
                connected.put(owner, fact.spreadsheetId());
            } else if ("SpreadsheetDisconnected".equals(fact.type())) {
                connected.remove(owner);
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", partition, offset);
        }
    }

    private void applyReview(String key, String value, int partition, long offset) {
        String owner = key.substring(REVIEW_PREFIX.length());
        if (value == null) {
            reviewing.remove(owner);
            return;
        }
        try {
            ReviewFact fact = json.readValue(value, ReviewFact.class);
            // A record whose owner is not its key's is not that owner's setting.
            if ("ReviewSettingSaved".equals(fact.type()) && owner.equals(fact.owner()) && fact.review() != null) {
                reviewing.put(owner, fact.review());
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable owner-settings record at partition %d offset %d", partition, offset);
        }
    }
}
