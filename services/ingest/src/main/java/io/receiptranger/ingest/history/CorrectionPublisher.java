package io.receiptranger.ingest.history;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.ingest.ReceiptCorrected;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** Puts the owner's changes on {@code receipt-corrections}, keyed by receiptId; returns once Kafka acknowledged. */
@ApplicationScoped
public class CorrectionPublisher {

    public static final String CHANNEL = "receipt-corrections-out";

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public CorrectionPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    public void publish(ReceiptCorrected change, Duration timeout) {
        String payload;
        try {
            payload = json.writeValueAsString(change);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        emitter.sendMessage(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(change.receiptId()).build()))
                .await().atMost(timeout);
    }
}
