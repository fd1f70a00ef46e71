package io.receiptranger.ingest.rest;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** A WireMock standing in for the sheets-sink's ledger API. */
public class FakeSink implements QuarkusTestResourceLifecycleManager {

    static WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort());
        server.start();
        return Map.of("ranger.sink-url", server.baseUrl(), "ranger.sink-timeout", "6s");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
