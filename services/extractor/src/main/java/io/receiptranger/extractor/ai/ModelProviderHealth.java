package io.receiptranger.extractor.ai;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.receiptranger.extractor.ModelGate;
import io.smallrye.health.api.HealthGroup;

/**
 * The model provider's health, in the {@code dependencies} group only (/q/health/group/dependencies):
 * an outage there must never take the extractor out of readiness or liveness.
 */
@HealthGroup("dependencies")
@ApplicationScoped
public class ModelProviderHealth implements HealthCheck {

    private final ModelGate gate;

    public ModelProviderHealth(ModelGate gate) {
        this.gate = gate;
    }

    @Override
    public HealthCheckResponse call() {
        CircuitBreaker.State state = gate.breaker().state();
        return HealthCheckResponse.named("model-provider").status(state != CircuitBreaker.State.OPEN)
                .withData("circuit", state.name()).build();
    }
}
