package io.receiptranger.extractor.ai;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.model.chat.ChatModel;
import io.receiptranger.extractor.keys.ModelRoute;

/**
 * The owners' chat models, built on first use from a decrypted key and kept for the next receipts of
 * the same endpoint, model and key (a bounded, least-recently-used set: building a client per call would
 * cost a connection pool per receipt). The map is keyed by a hash, so the clear key lives only inside
 * each model's HTTP client; a replaced or deleted key is never looked up again and ages out.
 */
@ApplicationScoped
public class OwnerChatModels {

    private static final int MAX = 256;

    private final Map<String, ChatModel> models = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ChatModel> eldest) {
            return size() > MAX;
        }
    };

    synchronized ChatModel forRoute(ModelRoute route) {
        return models.computeIfAbsent(fingerprint(route),
                k -> ReceiptModelSupplier.build(route.baseUrl(), route.apiKey(), route.model()));
    }

    private static String fingerprint(ModelRoute route) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update((route.baseUrl() + "\n" + route.model() + "\n" + route.apiKey()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available");
        }
    }
}
