package io.receiptranger.ingest.settings;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A fact about one owner's settings, on the compacted topic {@value #TOPIC} (CONTRACT §2). The
 * record key is {@link #key()}: one key per owner and kind of setting, so compaction keeps the
 * latest fact of each kind and nothing needs a read-modify-write of a whole settings document.
 * The model key travels only as AES-GCM ciphertext ({@link EncryptedKey}); the ingest never keeps it.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = SettingsEvent.ModelKeySaved.class, name = "ModelKeySaved"),
        @JsonSubTypes.Type(value = SettingsEvent.ModelKeyDeleted.class, name = "ModelKeyDeleted"),
        @JsonSubTypes.Type(value = SettingsEvent.SpreadsheetConnected.class, name = "SpreadsheetConnected"),
        @JsonSubTypes.Type(value = SettingsEvent.SpreadsheetDisconnected.class, name = "SpreadsheetDisconnected"),
        @JsonSubTypes.Type(value = SettingsEvent.ReviewSettingSaved.class, name = "ReviewSettingSaved") })
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface SettingsEvent {

    String TOPIC = "owner-settings";

    String owner();

    Instant at();

    /** The record key: {@code model-key:<owner>}, {@code spreadsheet:<owner>} or {@code review:<owner>}. */
    @JsonIgnore
    default String key() {
        return keyPrefix() + owner();
    }

    @JsonIgnore
    String keyPrefix();

    /** The owner saved an OpenAI-compatible endpoint, model and key (the key encrypted). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelKeySaved(String owner, String baseUrl, String model, EncryptedKey encryptedKey, String keyHint,
            Instant at) implements SettingsEvent {
        @Override
        public String keyPrefix() {
            return MODEL_KEY;
        }
    }

    /** The owner deleted their model key; their receipts go back to the deployment's choice. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ModelKeyDeleted(String owner, Instant at) implements SettingsEvent {
        @Override
        public String keyPrefix() {
            return MODEL_KEY;
        }
    }

    /** The owner connected a spreadsheet the sink could open. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SpreadsheetConnected(String owner, String spreadsheetId, String title, Instant at) implements SettingsEvent {
        @Override
        public String keyPrefix() {
            return SPREADSHEET;
        }
    }

    /** The owner disconnected their spreadsheet; their receipts go back to the operator's seed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record SpreadsheetDisconnected(String owner, Instant at) implements SettingsEvent {
        @Override
        public String keyPrefix() {
            return SPREADSHEET;
        }
    }

    /**
     * The owner turned "review before writing" on or off: with it on, the sheets-sink holds each of their
     * extracted receipts at {@code REVIEW} until they accept it, whichever way the receipt came in.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record ReviewSettingSaved(String owner, boolean review, Instant at) implements SettingsEvent {
        @Override
        public String keyPrefix() {
            return REVIEW;
        }
    }

    /** AES-256-GCM ciphertext of a model key: {@code ciphertext} holds the encrypted bytes and the 128-bit tag. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record EncryptedKey(String alg, String kid, String nonce, String ciphertext) {
    }

    String MODEL_KEY = "model-key:";
    String SPREADSHEET = "spreadsheet:";
    String REVIEW = "review:";
}
