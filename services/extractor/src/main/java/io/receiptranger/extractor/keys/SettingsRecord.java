package io.receiptranger.extractor.keys;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A record of topic {@code owner-settings} as the extractor reads it: of the four facts it needs
 * {@code ModelKeySaved} (endpoint, model, ciphertext) and {@code ModelKeyDeleted}; the spreadsheet facts
 * are read and ignored.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SettingsRecord(String type, String owner, String baseUrl, String model, EncryptedKey encryptedKey,
        String keyHint, Instant at) {

    public static final String MODEL_KEY_SAVED = "ModelKeySaved";
    public static final String MODEL_KEY_DELETED = "ModelKeyDeleted";

    /** The key of the record carrying an owner's model key. */
    public static String modelKeyKey(String owner) {
        return "model-key:" + owner;
    }

    @Override
    public String toString() {
        return "SettingsRecord[type=" + type + ", owner=" + owner + ", baseUrl=" + baseUrl + ", model=" + model + "]";
    }
}
