package io.receiptranger.ingest.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready once the batch views have caught up with the topics (see {@link CatchUp}). */
@Readiness
@ApplicationScoped
public class ViewsReadiness implements HealthCheck {

    private final CatchUp catchUp;

    public ViewsReadiness(CatchUp catchUp) {
        this.catchUp = catchUp;
    }

    @Override
    public HealthCheckResponse call() {
        return catchUp.check();
    }
}
