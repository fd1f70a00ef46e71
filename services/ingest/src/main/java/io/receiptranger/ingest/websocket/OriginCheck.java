package io.receiptranger.ingest.websocket;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.websockets.next.HttpUpgradeCheck;
import io.receiptranger.ingest.web.Origins;
import io.smallrye.mutiny.Uni;

/** Refuses a WebSocket upgrade from a page of another origin (cross-site WebSocket hijacking). */
@ApplicationScoped
public class OriginCheck implements HttpUpgradeCheck {

    private final Origins origins;

    public OriginCheck(Origins origins) {
        this.origins = origins;
    }

    @Override
    public Uni<CheckResult> perform(HttpUpgradeContext context) {
        var request = context.httpRequest();
        return origins.allowed(request.getHeader("Origin"), request.getHeader("Host"))
                ? CheckResult.permitUpgrade()
                : CheckResult.rejectUpgrade(403);
    }
}
