package io.receiptranger.extractor;

import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.receiptranger.extractor.ai.CircuitBreaker;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * What stands between receipts and the model provider: a cap on calls in flight
 * (RANGER_MODEL_CONCURRENCY, shared by model calls and OCR runs) and the circuit breaker. While it is
 * open, every receipt about to call the model waits; once all workers wait, nothing acknowledges,
 * the connector's bounded queue fills and it pauses the Kafka consumer (it keeps polling, so the
 * group does not rebalance). An outage delays receipts rather than failing them.
 */
@ApplicationScoped
public class ModelGate {

    private final Semaphore permits;
    private final CircuitBreaker breaker;
    @Inject
    public ModelGate(ExtractorConfig config, MeterRegistry metrics) {
        this(config.modelConcurrency(),
                new CircuitBreaker(config.model().breakerFailureThreshold(), config.model().breakerOpenDuration()), metrics);
    }

    ModelGate(int concurrency, CircuitBreaker breaker, MeterRegistry metrics) {
        int permitCount = Math.max(1, concurrency);
        this.permits = new Semaphore(permitCount, true);
        this.breaker = breaker;
        breaker.onStateChange(this::onBreaker);
        metrics.gauge("ranger.model.circuit.open", breaker, b -> b.state() == CircuitBreaker.State.OPEN ? 1 : 0);
        // 0 closed, 1 half-open (one trial call), 2 open: one series an alert can compare.
        metrics.gauge("ranger.model.circuit.state", breaker, b -> b.state().ordinal() == 0 ? 0
                : b.state() == CircuitBreaker.State.HALF_OPEN ? 1 : 2);
        metrics.gauge("ranger.model.calls.in.flight", permits, p -> Math.max(0, permitCount - p.availablePermits()));
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Runs {@code call} holding one of the concurrency permits. */
    public <T> T withPermit(Callable<T> call) throws Exception {
        permits.acquire();
        try {
            return call.call();
        } finally {
            permits.release();
        }
    }

    private void onBreaker(CircuitBreaker.State state) {
        if (state == CircuitBreaker.State.OPEN) {
            Log.warn("model provider failing: circuit open; receipts wait (consumption pauses once every worker waits)");
        } else if (state == CircuitBreaker.State.CLOSED) {
            Log.info("model provider answering again: circuit closed");
        }
    }
}
