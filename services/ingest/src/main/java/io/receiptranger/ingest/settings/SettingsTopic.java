package io.receiptranger.ingest.settings;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.messaging.CatchUp;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * The ingest's side of {@value SettingsEvent#TOPIC}: publishes the owners' settings facts (acknowledged
 * with {@code acks=all} before the API answers) and keeps what the page shows of them — endpoint,
 * model, masked key, spreadsheet, review before writing — read by every replica from the beginning (a group per replica,
 * like the batch views). It never keeps a ciphertext: only the extractor needs that.
 */
@ApplicationScoped
public class SettingsTopic {

    /** Outgoing channel to topic {@value SettingsEvent#TOPIC}. */
    public static final String OUT = "owner-settings-out";
    /** Incoming channel reading topic {@value SettingsEvent#TOPIC}. */
    public static final String VIEW = "owner-settings-view";

    /** What the page may show of a saved model key. */
    public record ModelKeyView(String baseUrl, String model, String keyHint, java.time.Instant savedAt) {
    }

    /** What the page shows of a connected spreadsheet. */
    public record SpreadsheetView(String spreadsheetId, String title, java.time.Instant connectedAt) {
    }

    private final MutinyEmitter<String> out;
    private final ObjectMapper json;
    private final CatchUp catchUp;
    private final Map<String, ModelKeyView> modelKeys = new ConcurrentHashMap<>();
    private final Map<String, SpreadsheetView> spreadsheets = new ConcurrentHashMap<>();
    private final Map<String, Boolean> reviews = new ConcurrentHashMap<>();
    /**
     * What this replica published and shows already, by record key, until its record comes back
     * through the view: an older record of the same key still on its way (the view lags under load)
     * must not undo it — a spreadsheet disconnected right after it was connected stayed "connected"
     * on the page until the view caught up.
     */
    private final Map<String, java.time.Instant> ownWrites = new ConcurrentHashMap<>();

    public SettingsTopic(@Channel(OUT) MutinyEmitter<String> out, ObjectMapper json, CatchUp catchUp) {
        this.out = out;
        this.json = json;
        this.catchUp = catchUp;
    }

    public Optional<ModelKeyView> modelKey(String owner) {
        return Optional.ofNullable(modelKeys.get(owner));
    }

    public Optional<SpreadsheetView> spreadsheet(String owner) {
        return Optional.ofNullable(spreadsheets.get(owner));
    }

    /** Whether the owner reviews their receipts before they are written (off until they turn it on). */
    public boolean reviews(String owner) {
        return reviews.getOrDefault(owner, false);
    }

    /** Publishes the fact and waits for Kafka's acknowledgement; then this replica shows it at once. */
    public void publish(SettingsEvent event, Duration timeout) {
        String payload;
        try {
            payload = json.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a " + event.getClass().getSimpleName());
        }
        Message<String> message = Message.of(payload)
                .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(event.key()).build());
        out.sendMessage(message).await().atMost(timeout);
        published(event);
    }

    /** This replica's own event, acknowledged by Kafka: shown at once. */
    void published(SettingsEvent event) {
        ownWrites.merge(event.key(), event.at(), (a, b) -> a.isAfter(b) ? a : b);
        apply(event);
    }

    /** An event read from the topic (any replica's, ours included), in the topic's order per key. */
    void viewed(SettingsEvent event) {
        if (event.owner() == null) {
            return;
        }
        java.time.Instant own = ownWrites.get(event.key());
        if (own != null) {
            if (event.at() != null && event.at().isBefore(own)) {
                return; // older than what this replica wrote since: its own record is still to come
            }
            ownWrites.remove(event.key(), own);
        }
        apply(event);
    }

    @Incoming(VIEW)
    public CompletionStage<Void> onRecord(Message<String> record) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class);
        try {
            if (record.getPayload() != null) {
                viewed(json.readValue(record.getPayload(), SettingsEvent.class));
            }
        } catch (Exception e) {
            // The message of a Jackson failure may quote the record: only where it is goes to the log.
            Log.warnf("Skipping an unreadable owner-settings record (%s)", kafka.map(
                    k -> "partition " + k.getPartition() + " offset " + k.getOffset()).orElse("no Kafka metadata"));
        } finally {
            kafka.ifPresent(k -> catchUp.consumed(k.getTopic(), k.getPartition(), k.getOffset()));
        }
        return record.ack();
    }

    void apply(SettingsEvent event) {
        if (event.owner() == null) {
            return;
        }
        if (event instanceof SettingsEvent.ModelKeySaved saved) {
            modelKeys.put(saved.owner(), new ModelKeyView(saved.baseUrl(), saved.model(), saved.keyHint(), saved.at()));
        } else if (event instanceof SettingsEvent.ModelKeyDeleted) {
            modelKeys.remove(event.owner());
        } else if (event instanceof SettingsEvent.SpreadsheetConnected connected) {
            spreadsheets.put(connected.owner(),
                    new SpreadsheetView(connected.spreadsheetId(), connected.title(), connected.at()));
        } else if (event instanceof SettingsEvent.SpreadsheetDisconnected) {
            spreadsheets.remove(event.owner());
        } else if (event instanceof SettingsEvent.ReviewSettingSaved review) {
            reviews.put(review.owner(), review.review());
        }
    }
}
