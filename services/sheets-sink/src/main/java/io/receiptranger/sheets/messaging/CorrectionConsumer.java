package io.receiptranger.sheets.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.ReceiptCorrected;
import io.receiptranger.sheets.corrections.Corrector;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The owner's changes ({@code receipt-corrections}), one at a time in offset order on a worker
 * thread of their own; a record is acknowledged only once its change is applied or refused and
 * recorded, so a restart in between delivers it again (the {@link Corrector} makes that harmless).
 * A record that is not a {@code ReceiptCorrected} goes to {@code receipt-corrections-dlq}.
 */
@ApplicationScoped
public class CorrectionConsumer {

    public static final String CHANNEL = "receipt-corrections";

    private final Corrector corrector;
    private final ObjectMapper json;
    private volatile boolean stopping;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sheets-sink-corrections");
        t.setDaemon(true);
        return t;
    });

    public CorrectionConsumer(Corrector corrector, ObjectMapper json) {
        this.corrector = corrector;
        this.json = json;
    }

    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        return CompletableFuture.supplyAsync(() -> handle(batch), worker).thenCompose(done -> done);
    }

    private CompletionStage<Void> handle(KafkaRecordBatch<String, String> batch) {
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        for (KafkaRecord<String, String> record : batch.getRecords()) {
            ReceiptCorrected change;
            try {
                change = parse(record.getPayload());
            } catch (IllegalArgumentException e) {
                Log.warnf("Dead-lettering %s-%d: %s", record.getTopic(), record.getPartition(), e.getMessage());
                settled.add(record.nack(e).toCompletableFuture());
                continue;
            }
            try {
                corrector.handle(change);
                settled.add(record.ack().toCompletableFuture());
            } catch (RuntimeException e) {
                if (stopping || Thread.currentThread().isInterrupted()) {
                    Log.infof("Stopping: correction %s left for redelivery", change.correctionId());
                    break;
                }
                Log.error("Could not apply correction " + change.correctionId() + "; dead-lettering it", e);
                settled.add(record.nack(e).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
    }

    ReceiptCorrected parse(String payload) {
        if (payload == null) {
            throw new IllegalArgumentException("empty record");
        }
        try {
            ReceiptCorrected c = json.readValue(payload, ReceiptCorrected.class);
            if (c == null || blank(c.correctionId()) || blank(c.receiptId()) || blank(c.action())) {
                throw new IllegalArgumentException("not a ReceiptCorrected: correctionId, receiptId and action are required");
            }
            return c;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a ReceiptCorrected: " + e.getOriginalMessage());
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @PreDestroy
    void stop() {
        stopping = true;
        worker.shutdownNow();
    }
}
