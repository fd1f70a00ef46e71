package io.receiptranger.kafkalocal;

import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.admin.NewTopic;

/**
 * The topics of CONTRACT.md §2 and the services' internal topics, with their settings. The
 * Kubernetes (Strimzi KafkaTopic) and compose definitions carry the same values.
 */
public final class Topics {

    /** Records that carry images inline may be up to 2 MiB. */
    static final String TWO_MIB = String.valueOf(2 * 1024 * 1024);

    public static final String RECEIPTS = "receipts";
    public static final String EXTRACTIONS = "extractions";
    public static final String RECEIPT_STATUS = "receipt-status";
    public static final String RECEIPTS_DLQ = "receipts-dlq";
    public static final String EXTRACTIONS_DLQ = "extractions-dlq";
    /** The owner's corrections, deletions, undos and review decisions (ingest → sheets-sink), keyed by receiptId. */
    public static final String RECEIPT_CORRECTIONS = "receipt-corrections";
    public static final String RECEIPT_CORRECTIONS_DLQ = "receipt-corrections-dlq";
    /** 30 days. */
    static final String DLQ_RETENTION_MS = "2592000000";
    /** The sheets-sink's ledger of written receipts: compacted, keyed by receiptId, kept forever. */
    public static final String SHEETS_LEDGER = "sheets-ledger";
    /** Each owner's settings (model key as ciphertext, spreadsheet): compacted, key = kind:owner, kept forever. */
    public static final String OWNER_SETTINGS = "owner-settings";
    /** The ingest's personal API tokens (hashes only): compacted, keyed by the token's SHA-256, kept forever. */
    public static final String OWNER_TOKENS = "owner-tokens";

    private Topics() {
    }

    static List<NewTopic> all(int partitions) {
        return List.of(
                topic(RECEIPTS, partitions, Map.of("max.message.bytes", TWO_MIB)),
                topic(EXTRACTIONS, partitions, Map.of()),
                topic(RECEIPT_STATUS, partitions, Map.of()),
                // Dead letters wait 30 days for an operator (deploy/README.md), longer than the data topics.
                topic(RECEIPTS_DLQ, 1, Map.of("max.message.bytes", TWO_MIB, "retention.ms", DLQ_RETENTION_MS)),
                topic(EXTRACTIONS_DLQ, 1, Map.of("retention.ms", DLQ_RETENTION_MS)),
                topic(RECEIPT_CORRECTIONS, partitions, Map.of()),
                topic(RECEIPT_CORRECTIONS_DLQ, 1, Map.of("retention.ms", DLQ_RETENTION_MS)),
                topic(SHEETS_LEDGER, partitions, Map.of("cleanup.policy", "compact", "retention.ms", "-1")),
                topic(OWNER_SETTINGS, partitions, Map.of("cleanup.policy", "compact", "retention.ms", "-1")),
                topic(OWNER_TOKENS, 1, Map.of("cleanup.policy", "compact", "retention.ms", "-1")));
    }

    private static NewTopic topic(String name, int partitions, Map<String, String> configs) {
        return new NewTopic(name, partitions, (short) 1).configs(configs);
    }
}
