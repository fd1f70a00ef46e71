package io.receiptranger.sheets.messaging;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.sheets.ReceiptStatus;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** {@link StatusPublisher} on the {@code receipt-status} channel, keyed by receiptId. */
@ApplicationScoped
public class KafkaStatusPublisher implements StatusPublisher {

    public static final String CHANNEL = "receipt-status";

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public KafkaStatusPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    @Override
    public void publish(ReceiptStatus status) {
        try {
            Message<String> message = Message.of(json.writeValueAsString(status))
                    .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(status.receiptId()).build());
            emitter.sendMessage(message).await().atMost(Duration.ofSeconds(30));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
