package io.receiptranger.extractor.health;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.SmallRyeHealthReporter;

/**
 * {@code ranger_ready} (1 ready, 0 not): the readiness checks as a metric, so an alert sees a
 * process that is up (scraped) but out of rotation, the same on Kubernetes, ECS and a laptop.
 * Evaluated at scrape time from the same checks {@code /q/health/ready} runs.
 */
@ApplicationScoped
public class ReadinessMetric {

    private final SmallRyeHealthReporter health;
    private final MeterRegistry registry;

    public ReadinessMetric(SmallRyeHealthReporter health, MeterRegistry registry) {
        this.health = health;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder("ranger.ready", health, h -> h.getReadiness().isDown() ? 0 : 1)
                .description("1 when the readiness checks pass").register(registry);
    }
}
