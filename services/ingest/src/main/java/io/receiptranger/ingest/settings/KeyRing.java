package io.receiptranger.ingest.settings;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key-encryption keys ({@code RANGER_KEY_ENCRYPTION_KEYS = kid1:base64,kid2:base64}): the first
 * encrypts, so rotating means putting a new key first and keeping the old ones until every saved key
 * was saved again. AES-256-GCM, a random 96-bit nonce per encryption, the owner bound in as
 * associated data ({@link #aad}) so a ciphertext copied onto another owner's record does not decrypt.
 * The extractor holds the same ring and is the only one that decrypts.
 */
public final class KeyRing {

    public static final String ALG = "A256GCM";
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final List<Entry> keys;

    private record Entry(String kid, SecretKey key) {
    }

    private KeyRing(List<Entry> keys) {
        this.keys = List.copyOf(keys);
    }

    /**
     * Parses the setting. Errors name the entry by position only, never its bytes.
     *
     * @throws IllegalArgumentException with a sentence an operator understands
     */
    public static KeyRing parse(String setting) {
        List<Entry> keys = new ArrayList<>();
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
            keys.add(new Entry(kid, new SecretKeySpec(bytes, "AES")));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("RANGER_KEY_ENCRYPTION_KEYS is empty");
        }
        return new KeyRing(keys);
    }

    /** The kid new ciphertexts are made with. */
    public String currentKid() {
        return keys.get(0).kid();
    }

    /** The owner's model key, encrypted under the first key of the ring. */
    public SettingsEvent.EncryptedKey encrypt(String owner, String clear) {
        Entry current = keys.get(0);
        byte[] nonce = new byte[12];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, current.key(), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(aad(owner));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            Base64.Encoder b64 = Base64.getEncoder();
            return new SettingsEvent.EncryptedKey(ALG, current.kid(), b64.encodeToString(nonce), b64.encodeToString(sealed));
        } catch (GeneralSecurityException e) {
            // No cause attached: the JCE's messages say nothing useful, and nothing secret may travel on.
            throw new IllegalStateException("AES-GCM encryption is not available in this JVM");
        }
    }

    /** Associated data: the ciphertext belongs to this owner's model key (CONTRACT §2, owner-settings). */
    static byte[] aad(String owner) {
        return ("receipt-ranger/model-key/v1/" + owner).getBytes(StandardCharsets.UTF_8);
    }
}
