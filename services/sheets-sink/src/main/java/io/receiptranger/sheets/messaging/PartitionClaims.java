package io.receiptranger.sheets.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.Fence;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.WriterFencedException;
import io.receiptranger.sheets.config.SinkConfig;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;

/**
 * Which partitions of {@code extractions} this replica holds, and since which consumer-group
 * generation. Extractions are keyed by owner, so a partition is a set of spreadsheets: holding it
 * makes this replica their only writer. The Kafka client calls the listener on its polling thread
 * before the group hands a partition to anyone else, so a write checked here as "still held" began
 * before the new holder could start (and the new holder then sees its PENDING entries).
 */
@ApplicationScoped
@Identifier(PartitionClaims.NAME)
public class PartitionClaims implements KafkaConsumerRebalanceListener {

    public static final String NAME = "sheets-sink-partitions";

    private final String instance;
    private final Map<TopicPartition, Integer> held = new ConcurrentHashMap<>();

    @Inject
    public PartitionClaims(SinkConfig config) {
        this(config.instanceId().map(String::trim).filter(s -> !s.isEmpty())
                .or(() -> Optional.ofNullable(System.getenv("HOSTNAME")).map(String::trim).filter(s -> !s.isEmpty()))
                // Without a stable name a restarted process is a stranger to its predecessor's PENDING entries.
                .orElse("sheets-sink-" + UUID.randomUUID().toString().substring(0, 8)));
    }

    public PartitionClaims(String instance) {
        this.instance = instance;
    }

    /** This replica's name in the ledger (and its static group membership id when configured). */
    public String instance() {
        return instance;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        int generation = consumer.groupMetadata().generationId();
        partitions.forEach(p -> held.put(p, generation));
        if (!partitions.isEmpty()) {
            Log.infof("Writing for partitions %s of extractions (generation %d)", partitions, generation);
        }
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        partitions.forEach(held::remove);
    }

    /** True while this replica holds the partition (under whatever generation). */
    public boolean holds(TopicPartition partition) {
        return held.containsKey(partition);
    }

    /** The fence of a batch from these partitions, as held now. */
    public Fence claim(Collection<TopicPartition> partitions) {
        Map<TopicPartition, Integer> claimed = new HashMap<>();
        for (TopicPartition p : partitions) {
            Integer generation = held.get(p);
            // A record polled just before its partition was revoked: fenced from the start.
            claimed.put(p, generation == null ? -1 : generation);
        }
        int generation = claimed.values().stream().mapToInt(Integer::intValue).max().orElse(-1);
        LedgerEntry.Writer writer = new LedgerEntry.Writer(instance, generation);
        return new Fence() {
            public LedgerEntry.Writer writer() {
                return writer;
            }

            public void check() {
                for (Map.Entry<TopicPartition, Integer> c : claimed.entrySet()) {
                    Integer now = held.get(c.getKey());
                    if (c.getValue() < 0 || now == null || !now.equals(c.getValue())) {
                        throw new WriterFencedException("partition " + c.getKey() + " moved to another sink replica");
                    }
                }
            }
        };
    }
}
