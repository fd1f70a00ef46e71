package io.receiptranger.ingest.messaging;

import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.ReceiptSubmitted;
import io.receiptranger.ingest.view.BatchViews;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;

/**
 * Reads the three topics into the batch views. Each replica reads with a consumer group of its own
 * from the earliest offset, so each one knows every batch. The views are only a projection: a
 * record that cannot be read is logged and skipped, never retried or dead-lettered.
 */
@ApplicationScoped
public class ViewConsumers {

    /** Incoming channel reading topic {@code receipts}. */
    public static final String RECEIPTS_VIEW = "receipts-view";
    /** Incoming channel reading topic {@code receipt-status}. */
    public static final String STATUS_VIEW = "receipt-status-view";
    /** Incoming channel reading topic {@code extractions}. */
    public static final String EXTRACTIONS_VIEW = "extractions-view";

    private final BatchViews views;
    private final ObjectMapper json;
    private final CatchUp catchUp;

    public ViewConsumers(BatchViews views, ObjectMapper json, CatchUp catchUp) {
        this.views = views;
        this.json = json;
        this.catchUp = catchUp;
    }

    @Incoming(RECEIPTS_VIEW)
    public CompletionStage<Void> onSubmitted(Message<String> record) {
        return read(record, ReceiptSubmitted.class, views::submitted);
    }

    @Incoming(STATUS_VIEW)
    public CompletionStage<Void> onStatus(Message<String> record) {
        return read(record, ReceiptStatus.class, views::status);
    }

    @Incoming(EXTRACTIONS_VIEW)
    public CompletionStage<Void> onExtracted(Message<String> record) {
        return read(record, ReceiptExtracted.class, views::extracted);
    }

    private <T> CompletionStage<Void> read(Message<String> record, Class<T> type, Consumer<T> apply) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class);
        try {
            if (record.getPayload() != null) {
                apply.accept(json.readValue(record.getPayload(), type));
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable %s record (%s): %s", type.getSimpleName(),
                    kafka.map(k -> k.getTopic() + " partition " + k.getPartition() + " offset " + k.getOffset())
                            .orElse("no Kafka metadata"),
                    e.getMessage());
        } finally {
            kafka.ifPresent(k -> catchUp.consumed(k.getTopic(), k.getPartition(), k.getOffset()));
        }
        return record.ack();
    }
}
