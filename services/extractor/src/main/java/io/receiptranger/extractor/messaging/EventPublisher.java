package io.receiptranger.extractor.messaging;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.ReceiptExtracted;
import io.receiptranger.extractor.ReceiptStatus;
import io.receiptranger.extractor.ReceiptStatus.Stage;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Publishes extractions and statuses and waits for Kafka's acknowledgement. Statuses are keyed by
 * receiptId; extractions by owner (CONTRACT.md §2), so all receipts of one owner — and so of one
 * spreadsheet — land on one partition and have exactly one sheets-sink writer; one receipt's
 * extractions stay in order because a receipt never changes owner.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String EXTRACTIONS = "extractions";
    public static final String RECEIPT_STATUS = "receipt-status";

    private final MutinyEmitter<String> extractions;
    private final MutinyEmitter<String> statuses;
    private final Clock clock = Clock.systemUTC();

    public EventPublisher(@Channel(EXTRACTIONS) MutinyEmitter<String> extractions,
            @Channel(RECEIPT_STATUS) MutinyEmitter<String> statuses) {
        this.extractions = extractions;
        this.statuses = statuses;
    }

    public void extraction(ReceiptExtracted extracted) {
        extractions.sendMessageAndAwait(keyed(extractionKey(extracted), Json.write(extracted)));
    }

    public void status(String receiptId, String batchId, Stage stage, String detail) {
        statuses.sendMessageAndAwait(keyed(receiptId, Json.write(statusOf(receiptId, batchId, stage, detail))));
    }

    /**
     * A progress status sent without waiting: the next send on the same key (the terminal status) is
     * ordered after it by the idempotent producer, and that one is awaited.
     */
    public void statusNoWait(String receiptId, String batchId, Stage stage, String detail) {
        statuses.sendMessage(keyed(receiptId, Json.write(statusOf(receiptId, batchId, stage, detail))))
                .subscribe().with(ok -> {
                }, failure -> io.quarkus.logging.Log.warnf("status %s of %s not sent: %s", stage, receiptId,
                        failure.getMessage()));
    }

    /** The extraction and its terminal status, sent together and both awaited (one round trip). */
    public void outcome(ReceiptExtracted extracted, Stage stage, String detail) {
        Uni.combine().all().unis(
                extractions.sendMessage(keyed(extractionKey(extracted), Json.write(extracted))),
                statuses.sendMessage(keyed(extracted.receiptId(),
                        Json.write(statusOf(extracted.receiptId(), extracted.batchId(), stage, detail)))))
                .discardItems().await().indefinitely();
    }

    /** The partition key of an extraction: its owner (never blank: the contract's default owner). */
    static String extractionKey(ReceiptExtracted extracted) {
        return extracted.owner() == null || extracted.owner().isBlank() ? "default" : extracted.owner();
    }

    private ReceiptStatus statusOf(String receiptId, String batchId, Stage stage, String detail) {
        return ReceiptStatus.of(receiptId, batchId, stage, detail, clock.instant());
    }

    private static Message<String> keyed(String key, String json) {
        return Message.of(json).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
    }
}
