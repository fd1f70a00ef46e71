package io.receiptranger.extractor.it;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.receiptranger.extractor.keys.Sealing;

/** The fixture key ring, and the deployment's key shared with one owner only. */
public class OwnerKeysConfig implements QuarkusTestResourceLifecycleManager {

    public static final String SHARED_WITH = "dora@example.com";

    @Override
    public Map<String, String> start() {
        return Map.of("ranger.key-encryption-keys", Sealing.FIXTURE_RING, "ranger.deployment-key-owners", SHARED_WITH);
    }

    @Override
    public void stop() {
    }
}
