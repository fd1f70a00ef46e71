package io.receiptranger.ingest.upload;

import java.security.SecureRandom;
import java.util.Base64;

/** Unguessable ids: 128 random bits from a CSPRNG, URL-safe, within the contract's receiptId alphabet. */
public final class Ids {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    public static String batchId() {
        return "b-" + random128();
    }

    public static String receiptId() {
        return "r-" + random128();
    }

    private static String random128() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
