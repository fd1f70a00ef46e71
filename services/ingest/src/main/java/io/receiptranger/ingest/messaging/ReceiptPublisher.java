package io.receiptranger.ingest.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.ReceiptSubmitted;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Puts the ingest's records on Kafka: {@code ReceiptSubmitted} on {@code receipts} and its own
 * statuses on {@code receipt-status}, keyed by receiptId. Each send completes only once the broker
 * acknowledged it ({@code acks=all}), which is what lets the upload answer 202 truthfully.
 */
@ApplicationScoped
public class ReceiptPublisher {

    /** Outgoing channel to topic {@code receipts} (a channel cannot be both incoming and outgoing). */
    public static final String RECEIPTS_OUT = "receipts-out";
    /** Outgoing channel to topic {@code receipt-status}. */
    public static final String STATUS_OUT = "receipt-status-out";

    private final MutinyEmitter<String> receipts;
    private final MutinyEmitter<String> statuses;
    private final ObjectMapper json;

    public ReceiptPublisher(@Channel(RECEIPTS_OUT) MutinyEmitter<String> receipts,
            @Channel(STATUS_OUT) MutinyEmitter<String> statuses, ObjectMapper json) {
        this.receipts = receipts;
        this.statuses = statuses;
        this.json = json;
    }

    /** Sends every record and waits until all are acknowledged, or fails. */
    public void publishAll(List<ReceiptSubmitted> submitted, List<ReceiptStatus> before, Duration timeout) {
        List<Uni<Void>> sends = new java.util.ArrayList<>();
        before.forEach(s -> sends.add(send(statuses, s.receiptId(), s)));
        submitted.forEach(r -> sends.add(send(receipts, r.receiptId(), r)));
        if (sends.isEmpty()) {
            return;
        }
        Uni.join().all(sends).andFailFast().replaceWithVoid()
                .await().atMost(timeout);
    }

    /**
     * The owner's re-read: first the status that reopens a receipt that was not written (if any), then
     * the request on {@code receipts}; both acknowledged.
     */
    public void publishReread(io.receiptranger.ingest.ReceiptRereadRequested request, List<ReceiptStatus> reopen, Duration timeout) {
        if (!reopen.isEmpty()) {
            publishStatuses(reopen, timeout);
        }
        send(receipts, request.receiptId(), request).await().atMost(timeout);
    }

    /** Sends the statuses and waits for their acknowledgement. */
    public void publishStatuses(List<ReceiptStatus> after, Duration timeout) {
        publishAll(List.of(), after, timeout);
    }

    /**
     * An operator's replay of a dead letter: first the status that reopens the receipt (if any), then
     * the record itself, unchanged, to {@code topic} with {@code headers}; both acknowledged.
     */
    public void replay(String topic, String key, String value, java.util.Map<String, String> headers, ReceiptStatus reopen,
            Duration timeout) {
        if (reopen != null) {
            publishStatuses(List.of(reopen), timeout);
        }
        org.apache.kafka.common.header.internals.RecordHeaders recordHeaders = new org.apache.kafka.common.header.internals.RecordHeaders();
        headers.forEach((k, v) -> recordHeaders.add(k, v.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        Message<String> message = Message.of(value).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withTopic(topic).withKey(key).withHeaders(recordHeaders).build());
        receipts.sendMessage(message).await().atMost(timeout);
    }

    private Uni<Void> send(MutinyEmitter<String> emitter, String key, Object value) {
        String payload;
        try {
            payload = json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return Uni.createFrom().failure(e);
        }
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(key).build());
        return emitter.sendMessage(message);
    }
}
