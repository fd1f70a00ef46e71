package io.receiptranger.sheets.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.sheets.ReceiptStatus;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/** {@link StatusPublisher} on the {@code receipt-status} channel, keyed by receiptId. */
@ApplicationScoped
public class KafkaStatusPublisher implements StatusPublisher {

    public static final String CHANNEL = "receipt-status";
    private static final int CHUNK = 128;

    private final MutinyEmitter<String> emitter;
    private final ObjectMapper json;

    public KafkaStatusPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter, ObjectMapper json) {
        this.emitter = emitter;
        this.json = json;
    }

    @Override
    public void publish(ReceiptStatus status) {
        publishAll(List.of(status));
    }

    @Override
    public void publishAll(List<ReceiptStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        // Sent together, awaited together: one round trip per batch, not per receipt. Kafka keeps
        // each receipt's statuses in order (same key, same partition, idempotent producer).
        // In chunks below the emitter's buffer (256), whatever the batch size.
        for (int from = 0; from < statuses.size(); from += CHUNK) {
            List<Uni<Void>> sent = new ArrayList<>();
            for (ReceiptStatus status : statuses.subList(from, Math.min(statuses.size(), from + CHUNK))) {
                sent.add(emitter.sendMessage(Message.of(toJson(status))
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(status.receiptId()).build())));
            }
            Uni.join().all(sent).andFailFast().await().atMost(Duration.ofSeconds(60));
        }
    }

    private String toJson(ReceiptStatus status) {
        try {
            return json.writeValueAsString(status);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
