package io.receiptranger.ingest.settings;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A key ring for the settings tests, and plain http allowed (the fake provider is WireMock on localhost). */
public class SettingsConfig implements QuarkusTestResourceLifecycleManager {

    /** The fixture-only key-encryption key of contracts/ (see contracts/README.md). */
    public static final String RING = "fixture-2026-12:AwoRGB8mLTQ7QklQV15lbHN6gYiPlp2kq7K5wMfO1dw=";

    @Override
    public Map<String, String> start() {
        return Map.of("ranger.key-encryption-keys", RING, "ranger.settings.allow-plain-http", "true",
                "ranger.settings.check-timeout", "3s");
    }

    @Override
    public void stop() {
    }
}
