package io.receiptranger.extractor.ledger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import org.apache.kafka.clients.consumer.ConsumerConfig;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.config.CompactedTopicReader;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.config.KafkaConnection;
import io.smallrye.common.annotation.Identifier;

/**
 * The photos each owner's ledger already holds, by the SHA-256 of the original bytes, so that the
 * same photo sent again never costs a second model call. Reads the sink's compacted topic
 * {@value #TOPIC} (key = receiptId, value = its {@code LedgerEntry}) from the beginning and then
 * follows it, on a thread of its own: all partitions assigned, no consumer group (every replica keeps
 * the whole index; nothing to rebalance, nothing committed). Kept per entry: owner, receiptId,
 * state, file name, tab and row: about 200 bytes a receipt.
 *
 * <p>Chosen over asking the sink's {@code POST /api/receipts/lookup}: no synchronous dependency
 * between extractor and sink (a sink restart never delays or fails an extraction), and the answer
 * needs no new route. The price: a photo sent again before its first receipt reached the ledger, or
 * while this reader catches up after a start, is read once more (and the sink still calls it a
 * duplicate by date + amount + vendor); the index lives in memory.
 */
@ApplicationScoped
public class KnownPhotos {

    public static final String TOPIC = "sheets-ledger";
    /** Ledger states that mean the photo was processed (a FAILED one is retried, as the sink's lookup does). */
    private static final List<String> KNOWN = List.of("WRITTEN", "EXCLUDED", "NOT_A_RECEIPT", "DUPLICATE");

    /** What the ledger says about one receipt (the fields read from a {@code LedgerEntry}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Entry(String receiptId, String owner, String state, String fileName, String sha256, String tab,
            Integer row) {

        /** The DUPLICATE status's sentence: "the same photo as receipt …, written to January 2026, row 14". */
        public String sentence() {
            String name = fileName == null || fileName.isBlank() ? "" : " (" + fileName + ")";
            String where = switch (state) {
                case "WRITTEN" -> row == null ? "written to " + tab : "written to " + tab + ", row " + row;
                case "EXCLUDED" -> "which was excluded by your criteria";
                case "NOT_A_RECEIPT" -> "which was not a receipt";
                default -> "which was itself a duplicate";
            };
            return "The same photo as receipt " + receiptId + name + ", " + where + "; not read again.";
        }
    }

    private final boolean enabled;
    /** owner → sha256 → the preferred entry. */
    private final Map<String, Map<String, Entry>> byOwner = new ConcurrentHashMap<>();
    /** receiptId → its latest entry (a receipt's state changes: PENDING, then WRITTEN). */
    private final Map<String, Entry> byReceipt = new HashMap<>();
    /** Reads the ledger into the two maps above. */
    private final CompactedTopicReader reader;

    @Inject
    public KnownPhotos(@Identifier("default-kafka-broker") Map<String, Object> kafka, ExtractorConfig config) {
        this(kafka, config.knownPhotos());
    }

    KnownPhotos(Map<String, Object> kafka, boolean enabled) {
        this.enabled = enabled;
        this.reader = CompactedTopicReader.of(KafkaConnection.of(kafka), TOPIC)
                .clientId("extractor-known-photos")
                .threadName("known-photos")
                .pollTimeout(Duration.ofMillis(500))
                // The sink owns this topic (compacted); a reader must never create it with the broker's defaults.
                .consumerProperty(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false)
                // No ledger yet (a fresh cluster) or the broker away: every photo is read meanwhile.
                .missingTopicWarning("known photos: the topic %s does not exist yet; every photo is read meanwhile", true)
                .unreachableWarning("known photos: Kafka is not reachable at %s yet; waiting to read %s")
                // A failure while reading: read again from the start later, waiting longer each time in a row.
                .restartBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30))
                .onFailure((e, retryIn) -> Log.infof("known photos: %s; retrying in %d s", e.getMessage(), retryIn.toSeconds()))
                // Read again from the start: the index is rebuilt from the topic, not merged with an older copy.
                .onRewind(partitions -> forgetAll())
                .build((key, value, partition, offset) -> {
                    if (key != null) {
                        apply(key, value);
                    }
                });
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            Log.info("known-photo check off (ranger.known-photos=false): every photo is read");
            return;
        }
        reader.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (enabled) {
            reader.stop();
        }
    }

    /** The owner's earlier receipt of this photo, never the receipt itself (a redelivery is not a duplicate). */
    public Optional<Entry> earlier(String owner, String sha256, String receiptId) {
        if (sha256 == null || sha256.isBlank()) {
            return Optional.empty();
        }
        Map<String, Entry> hashes = byOwner.get(owner);
        if (hashes == null) {
            return Optional.empty();
        }
        Entry e = hashes.get(sha256.trim().toLowerCase(Locale.ROOT));
        return e == null || e.receiptId().equals(receiptId) ? Optional.empty() : Optional.of(e);
    }

    /** Applies one ledger record (value null = the receipt was deleted). Package-visible for tests. */
    synchronized void apply(String receiptId, String value) {
        Entry old = byReceipt.remove(receiptId);
        if (old != null) {
            forget(old);
        }
        if (value == null) {
            return;
        }
        Entry e;
        try {
            e = Json.MAPPER.readValue(value, Entry.class);
        } catch (Exception ex) {
            Log.debugf("ledger record %s not read: %s", receiptId, ex.getMessage());
            return;
        }
        if (e.receiptId() == null || e.owner() == null || e.sha256() == null || !KNOWN.contains(e.state())) {
            return;
        }
        byReceipt.put(receiptId, e);
        byOwner.computeIfAbsent(e.owner(), o -> new ConcurrentHashMap<>())
                .merge(e.sha256().toLowerCase(Locale.ROOT), e, KnownPhotos::preferred);
    }

    private void forget(Entry old) {
        Map<String, Entry> hashes = byOwner.get(old.owner());
        String hash = old.sha256().toLowerCase(Locale.ROOT);
        if (hashes != null && old.equals(hashes.get(hash))) {
            hashes.remove(hash);
            // Another receipt of the same photo may remain.
            byReceipt.values().stream().filter(o -> o.owner().equals(old.owner()) && o.sha256().equalsIgnoreCase(hash))
                    .forEach(o -> hashes.merge(hash, o, KnownPhotos::preferred));
        }
    }

    private synchronized void forgetAll() {
        byOwner.clear();
        byReceipt.clear();
    }

    /** WRITTEN first (its tab and row are the useful answer), then the order of {@link #KNOWN}. */
    private static Entry preferred(Entry a, Entry b) {
        return KNOWN.indexOf(b.state()) < KNOWN.indexOf(a.state()) ? b : a;
    }
}
