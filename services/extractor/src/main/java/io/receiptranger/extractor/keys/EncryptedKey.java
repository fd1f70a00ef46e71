package io.receiptranger.extractor.keys;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** AES-256-GCM ciphertext of a model key as it travels on owner-settings; {@code ciphertext} includes the tag. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EncryptedKey(String alg, String kid, String nonce, String ciphertext) {
}
