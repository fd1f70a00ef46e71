package io.receiptranger.extractor.keys;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The ingest's encryption, restated for tests (the contract fixture proves the two agree). */
public final class Sealing {

    /** The fixture-only key-encryption key of contracts/owner-settings.model-key-saved.json. */
    public static final String FIXTURE_RING = "fixture-2026-12:AwoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1dw=";
    public static final String FIXTURE_KEY = "sk-test-fixture-0123456789abcdef";

    private Sealing() {
    }

    public static EncryptedKey seal(String ringEntry, String owner, String clear) {
        String kid = ringEntry.substring(0, ringEntry.indexOf(':'));
        byte[] kek = Base64.getDecoder().decode(ringEntry.substring(ringEntry.indexOf(':') + 1));
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "AES"), new GCMParameterSpec(128, nonce));
            cipher.updateAAD(KeyRing.aad(owner));
            byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
            return new EncryptedKey(KeyRing.ALG, kid, Base64.getEncoder().encodeToString(nonce),
                    Base64.getEncoder().encodeToString(sealed));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A {@code ModelKeySaved} record as the ingest publishes it. */
    public static String modelKeySaved(String owner, String baseUrl, String model, EncryptedKey key) {
        return """
                {"type":"ModelKeySaved","owner":"%s","baseUrl":"%s","model":"%s","encryptedKey":{"alg":"%s","kid":"%s",\
                "nonce":"%s","ciphertext":"%s"},"keyHint":"sk-…xxxx","at":"2026-12-01T09:00:00Z"}"""
                .formatted(owner, baseUrl, model, key.alg(), key.kid(), key.nonce(), key.ciphertext());
    }
}
