package io.receiptranger.sheets.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.receiptranger.sheets.sheets.SheetsStatus;
import io.smallrye.health.api.HealthGroup;

/**
 * Google Sheets as a dependency ({@code /q/health/group/dependencies}), never in readiness or
 * liveness: an unshared spreadsheet is the user's to fix, not a reason to restart the sink.
 */
@HealthGroup("dependencies")
@ApplicationScoped
public class SheetsHealthCheck implements HealthCheck {

    private final SheetsStatus status;

    public SheetsHealthCheck(SheetsStatus status) {
        this.status = status;
    }

    @Override
    public HealthCheckResponse call() {
        var builder = HealthCheckResponse.named("google-sheets").status(status.isUp()).withData("state", status.state());
        if (status.problem() != null) {
            builder.withData("problem", status.problem());
        }
        return builder.build();
    }
}
