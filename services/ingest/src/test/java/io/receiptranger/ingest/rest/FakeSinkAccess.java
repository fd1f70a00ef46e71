package io.receiptranger.ingest.rest;

import com.github.tomakehurst.wiremock.WireMockServer;

/** The running {@link FakeSink}, for tests in other packages. */
public final class FakeSinkAccess {

    private FakeSinkAccess() {
    }

    public static WireMockServer server() {
        return FakeSink.server;
    }
}
