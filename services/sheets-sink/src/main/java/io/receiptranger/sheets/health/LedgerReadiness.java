package io.receiptranger.sheets.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.receiptranger.sheets.ledger.Ledger;

/** Ready once this replica rebuilt the ledger from Kafka (until then, dedupe and exports would be wrong). */
@Readiness
@ApplicationScoped
public class LedgerReadiness implements HealthCheck {

    private final Ledger ledger;

    public LedgerReadiness(Ledger ledger) {
        this.ledger = ledger;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("ledger").status(ledger.ready()).build();
    }
}
