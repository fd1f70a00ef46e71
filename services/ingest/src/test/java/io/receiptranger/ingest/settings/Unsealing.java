package io.receiptranger.ingest.settings;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** The extractor's decryption, restated for the ingest's tests (only the extractor decrypts in production). */
final class Unsealing {

    private Unsealing() {
    }

    static String open(String ringEntry, String owner, SettingsEvent.EncryptedKey sealed) throws Exception {
        byte[] kek = Base64.getDecoder().decode(ringEntry.substring(ringEntry.indexOf(':') + 1));
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(kek, "AES"),
                new GCMParameterSpec(128, Base64.getDecoder().decode(sealed.nonce())));
        cipher.updateAAD(KeyRing.aad(owner));
        return new String(cipher.doFinal(Base64.getDecoder().decode(sealed.ciphertext())), StandardCharsets.UTF_8);
    }
}
