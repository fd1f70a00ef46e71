package io.receiptranger.extractor;

import java.util.concurrent.Callable;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.receiptranger.extractor.ai.CircuitBreaker;
import io.receiptranger.extractor.ai.FailureClassifier;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * What stands between receipts and the model provider: a cap on calls in flight that follows the
 * provider ({@link AdaptiveConcurrency}: starts at RANGER_MODEL_CONCURRENCY, grows while latency is
 * flat, halves on a 429 or a latency rise, at most RANGER_MODEL_CONCURRENCY_MAX; shared by model
 * calls and OCR runs) and the circuit breaker. While it is
 * open, every receipt about to call the model waits; once all workers wait, nothing acknowledges,
 * the connector's bounded queue fills and it pauses the Kafka consumer (it keeps polling, so the
 * group does not rebalance). An outage delays receipts rather than failing them.
 */
@ApplicationScoped
public class ModelGate {

    private final AdaptiveConcurrency limit;
    private final CircuitBreaker breaker;

    @Inject
    public ModelGate(ExtractorConfig config, MeterRegistry metrics) {
        this(new AdaptiveConcurrency(config.modelConcurrency(), config.modelConcurrencyMax().orElse(2 * config.modelConcurrency()),
                config.model().latencyTolerance(), System::nanoTime),
                new CircuitBreaker(config.model().breakerFailureThreshold(), config.model().breakerOpenDuration()), metrics);
    }

    ModelGate(int concurrency, CircuitBreaker breaker, MeterRegistry metrics) {
        this(new AdaptiveConcurrency(concurrency, concurrency, 2.0, System::nanoTime), breaker, metrics);
    }

    ModelGate(AdaptiveConcurrency limit, CircuitBreaker breaker, MeterRegistry metrics) {
        this.limit = limit;
        this.breaker = breaker;
        breaker.onStateChange(this::onBreaker);
        metrics.gauge("ranger.model.circuit.open", breaker, b -> b.state() == CircuitBreaker.State.OPEN ? 1 : 0);
        // 0 closed, 1 half-open (one trial call), 2 open: one series an alert can compare.
        metrics.gauge("ranger.model.circuit.state", breaker, b -> b.state().ordinal() == 0 ? 0
                : b.state() == CircuitBreaker.State.HALF_OPEN ? 1 : 2);
        metrics.gauge("ranger.model.calls.in.flight", limit, AdaptiveConcurrency::inFlight);
        metrics.gauge("ranger.model.calls.waiting", limit, AdaptiveConcurrency::waiting);
        metrics.gauge("ranger.model.concurrency.limit", limit, AdaptiveConcurrency::limit);
    }

    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Runs {@code call} holding one of the concurrency permits; its outcome and latency adjust the limit. */
    public <T> T withPermit(Callable<T> call) throws Exception {
        AdaptiveConcurrency.Permit permit = limit.acquire();
        AdaptiveConcurrency.Outcome outcome = AdaptiveConcurrency.Outcome.FAILED;
        try {
            T result = call.call();
            outcome = AdaptiveConcurrency.Outcome.ANSWERED;
            return result;
        } catch (Exception e) {
            FailureClassifier.Failure failure = FailureClassifier.classify(e);
            outcome = FailureClassifier.isRateLimited(e) ? AdaptiveConcurrency.Outcome.RATE_LIMITED
                    // An answer we cannot use, or a refusal, still took the provider's time: a latency sample.
                    : failure.kind() == FailureClassifier.Kind.TRANSIENT ? AdaptiveConcurrency.Outcome.FAILED
                    : AdaptiveConcurrency.Outcome.ANSWERED;
            throw e;
        } finally {
            limit.release(permit, outcome);
        }
    }

    /** Model calls allowed in flight now (adaptive). */
    public int limit() {
        return limit.limit();
    }

    private void onBreaker(CircuitBreaker.State state) {
        if (state == CircuitBreaker.State.OPEN) {
            Log.warn("model provider failing: circuit open; receipts wait (consumption pauses once every worker waits)");
        } else if (state == CircuitBreaker.State.CLOSED) {
            Log.info("model provider answering again: circuit closed");
        }
    }
}
