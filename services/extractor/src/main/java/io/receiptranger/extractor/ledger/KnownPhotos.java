package io.receiptranger.extractor.ledger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.config.ExtractorConfig;
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

    private final Map<String, Object> kafka;
    private final boolean enabled;
    /** owner → sha256 → the preferred entry. */
    private final Map<String, Map<String, Entry>> byOwner = new ConcurrentHashMap<>();
    /** receiptId → its latest entry (a receipt's state changes: PENDING, then WRITTEN). */
    private final Map<String, Entry> byReceipt = new HashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile KafkaConsumer<String, String> consumer;
    private Thread thread;

    @Inject
    public KnownPhotos(@Identifier("default-kafka-broker") Map<String, Object> kafka, ExtractorConfig config) {
        this(kafka, config.knownPhotos());
    }

    KnownPhotos(Map<String, Object> kafka, boolean enabled) {
        this.kafka = kafka;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            Log.info("known-photo check off (ranger.known-photos=false): every photo is read");
            return;
        }
        running.set(true);
        thread = new Thread(this::follow, "known-photos");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running.set(false);
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
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

    /** WRITTEN first (its tab and row are the useful answer), then the order of {@link #KNOWN}. */
    private static Entry preferred(Entry a, Entry b) {
        return KNOWN.indexOf(b.state()) < KNOWN.indexOf(a.state()) ? b : a;
    }

    private void follow() {
        Duration backoff = Duration.ofSeconds(1);
        while (running.get()) {
            try (KafkaConsumer<String, String> c = new KafkaConsumer<>(properties())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(TOPIC, Duration.ofSeconds(30)).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                synchronized (this) {
                    byOwner.clear();
                    byReceipt.clear();
                }
                while (running.get()) {
                    for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(500))) {
                        if (r.key() != null) {
                            apply(r.key(), r.value());
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                // Topic not there yet (a fresh cluster), broker away: read again from the start later.
                Log.infof("known photos: %s; retrying in %d s", e.getMessage(), backoff.toSeconds());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30)
                        : backoff.multipliedBy(2);
            }
        }
    }

    private Properties properties() {
        Properties p = new Properties();
        // The connector's own connection settings (bootstrap servers, security), nothing channel-specific.
        kafka.forEach((k, v) -> {
            if (v != null && !k.startsWith("mp.messaging") && !k.contains("serializer") && !k.contains("deserializer")) {
                p.put(k, v);
            }
        });
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.remove(ConsumerConfig.GROUP_ID_CONFIG);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "extractor-known-photos");
        return p;
    }
}
