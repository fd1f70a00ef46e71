package io.receiptranger.extractor.keys;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys ({@code RANGER_KEY_ENCRYPTION_KEYS = kid1:base64,kid2:base64}, the ingest's
 * ring): every key decrypts what was encrypted under its kid, so a rotation keeps working while old
 * ciphertexts remain. AES-256-GCM with the owner as associated data: a ciphertext moved onto another
 * owner's record fails. The extractor is the only service that decrypts, and only when it reads a
 * receipt of that owner.
 */
public final class KeyRing {

    public static final String ALG = "A256GCM";
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, SecretKey> keys;

    private KeyRing(Map<String, SecretKey> keys) {
        this.keys = Map.copyOf(keys);
    }

    /** An empty ring: no saved key can be decrypted (each such receipt says so). */
    public static KeyRing none() {
        return new KeyRing(Map.of());
    }

    /**
     * Parses the setting; errors name an entry by position or kid, never its bytes.
     *
     * @throws IllegalArgumentException with a sentence an operator understands
     */
    public static KeyRing parse(String setting) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        String[] entries = setting == null ? new String[0] : setting.split(",");
        for (int i = 0; i < entries.length; i++) {
            String entry = entries[i].trim();
            if (entry.isEmpty()) {
                continue;
            }
            int colon = entry.indexOf(':');
            String kid = colon < 0 ? "" : entry.substring(0, colon).trim();
            if (!KID.matcher(kid).matches()) {
                throw new IllegalArgumentException("RANGER_KEY_ENCRYPTION_KEYS entry " + (i + 1)
                        + " is not kid:base64 (kid: 1-64 of A-Z a-z 0-9 . _ -)");
            }
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(entry.substring(colon + 1).trim());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("RANGER_KEY_ENCRYPTION_KEYS entry " + kid + " is not valid base64");
            }
            if (bytes.length != 32) {
                throw new IllegalArgumentException("RANGER_KEY_ENCRYPTION_KEYS entry " + kid + " is " + bytes.length
                        + " bytes; AES-256 needs 32 (openssl rand -base64 32)");
            }
            keys.put(kid, new SecretKeySpec(bytes, "AES"));
        }
        return new KeyRing(keys);
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /**
     * The owner's key in clear.
     *
     * @throws UndecryptableKeyException with a sentence (unknown kid, tampered or foreign ciphertext); never the bytes
     */
    public String decrypt(String owner, EncryptedKey sealed) {
        if (sealed == null || !ALG.equals(sealed.alg())) {
            throw new UndecryptableKeyException("the saved model key uses an encryption this extractor does not know");
        }
        SecretKey key = keys.get(sealed.kid());
        if (key == null) {
            throw new UndecryptableKeyException("the saved model key was encrypted with key-encryption key \""
                    + sealed.kid() + "\", which is not in RANGER_KEY_ENCRYPTION_KEYS");
        }
        try {
            Base64.Decoder b64 = Base64.getDecoder();
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, b64.decode(sealed.nonce())));
            cipher.updateAAD(aad(owner));
            return new String(cipher.doFinal(b64.decode(sealed.ciphertext())), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException | NullPointerException e) {
            // No cause: nothing of the ciphertext or the key-encryption key travels on.
            throw new UndecryptableKeyException("the saved model key could not be decrypted (it was altered, or"
                    + " belongs to another owner)");
        }
    }

    /** The associated data the ingest encrypted with (CONTRACT §2, owner-settings). */
    static byte[] aad(String owner) {
        return ("receipt-ranger/model-key/v1/" + owner).getBytes(StandardCharsets.UTF_8);
    }
}
