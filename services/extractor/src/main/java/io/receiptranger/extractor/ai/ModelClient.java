package io.receiptranger.extractor.ai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.message.ImageContent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.receiptranger.extractor.ModelGate;
import io.receiptranger.extractor.RetryPolicy;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.ReceiptImage;

/**
 * Calls the vision model for one reading, with the failure policy of the extractor issue: real HTTP
 * timeouts (the client's), transient failures retried with exponential back-off and full jitter (a
 * server's Retry-After wins), fatal ones not retried, one more try for a garbage answer, all within
 * a per-receipt attempt cap and time budget. While the circuit breaker is open the call waits, and
 * failures during an outage do not count against the attempt cap: only the time budget ends them.
 */
@ApplicationScoped
public class ModelClient {

    private final ReceiptExtractor extractor;
    private final ModelGate gate;
    private final ExtractorConfig.Model config;
    private final MeterRegistry metrics;

    public ModelClient(ReceiptExtractor extractor, ModelGate gate, ExtractorConfig config, MeterRegistry metrics) {
        this.extractor = extractor;
        this.gate = gate;
        this.config = config.model();
        this.metrics = metrics;
        // Every outcome from the start: an error-rate alert reads 0, not "no data", before the first failure.
        for (FailureClassifier.Kind kind : FailureClassifier.Kind.values()) {
            metrics.counter("ranger.model.calls", "outcome", kind.name().toLowerCase(), "model", this.config.name());
        }
        metrics.counter("ranger.model.calls", "outcome", "ok", "model", this.config.name());
    }

    /** One reading of the image, with the number of calls it took. */
    public record Answer(ReceiptReading reading, int attempts) {
    }

    public Answer read(ReceiptImage image, String today, String criteria) throws ModelFailedException {
        ImageContent content = ImageContent.from(image.base64(), image.format().mimeType(),
                ImageContent.DetailLevel.HIGH);
        try {
            // A receipt that has not started yet waits out an open breaker before its budget starts:
            // with every worker waiting here, the Kafka connector's queue fills and it pauses the consumer.
            gate.breaker().awaitPermission(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailedException("Interrupted while waiting for the model provider.", 0, e);
        }
        long deadline = System.nanoTime() + config.retryBudget().toNanos();
        int attempts = 0;
        int garbage = 0;
        int transientFailures = 0;
        int counted = 0;
        while (true) {
            try {
                if (!gate.breaker().awaitPermission(deadline)) {
                    throw new ModelFailedException("The model provider is unavailable (circuit open) and the retry "
                            + "budget of " + config.retryBudget().toSeconds() + " s is spent.", attempts, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelFailedException("Interrupted while waiting for the model provider.", attempts, e);
            }
            FailureClassifier.Failure failure;
            attempts++;
            long[] callStart = new long[1];
            try {
                ReceiptReading reading = gate.withPermit(() -> {
                    callStart[0] = System.nanoTime();
                    return extractor.extract(content, today, criteria);
                });
                if (reading == null) {
                    throw new IllegalStateException("empty answer");
                }
                gate.breaker().recordSuccess();
                count("ok", callStart[0]);
                return new Answer(reading, attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelFailedException("Interrupted while calling the model provider.", attempts, e);
            } catch (Exception e) {
                failure = FailureClassifier.classify(e);
                if (failure.kind() == FailureClassifier.Kind.GARBAGE) {
                    Log.debugf(e, "unusable model answer");
                    Log.infof("unusable model answer: %s", FailureClassifier.chain(e));
                }
            }
            count(failure.kind().name().toLowerCase(), callStart[0]);
            switch (failure.kind()) {
                case FATAL -> {
                    // The provider answered: it is up, so this says nothing about the breaker.
                    gate.breaker().recordSuccess();
                    throw new ModelFailedException(capitalise(failure.reason()) + ".", attempts, null);
                }
                case GARBAGE -> {
                    gate.breaker().recordSuccess();
                    if (++garbage > 1) {
                        throw new ModelFailedException("The model gave no usable answer twice: " + failure.reason() + ".",
                                attempts, null);
                    }
                    Log.infof("model answer unusable (%s); one more try", failure.reason());
                }
                case TRANSIENT -> {
                    gate.breaker().recordFailure();
                    transientFailures++;
                    // While the breaker is open the provider is down for everyone: that is an outage,
                    // which delays this receipt (time budget only) instead of spending its attempts.
                    if (gate.breaker().state() == CircuitBreaker.State.CLOSED) {
                        counted++;
                    }
                    Duration delay = failure.retryAfter().isPresent() ? failure.retryAfter().get()
                            : backoff(config.initialBackoff(), config.maxBackoff(), transientFailures);
                    long remaining = deadline - System.nanoTime();
                    if (counted >= config.maxAttempts() || delay.toNanos() >= remaining) {
                        throw new ModelFailedException(capitalise(failure.reason()) + "; gave up after " + attempts
                                + (attempts == 1 ? " attempt" : " attempts") + " (retry budget "
                                + config.retryBudget().toSeconds() + " s, at most " + config.maxAttempts() + " attempts).",
                                attempts, null);
                    }
                    Log.infof("model call failed (%s); retry %d in %d ms", failure.reason(), attempts, delay.toMillis());
                    sleep(delay, attempts);
                }
            }
        }
    }

    /** Exponential back-off with full jitter (the extractor's one {@link RetryPolicy}). */
    static Duration backoff(Duration initial, Duration max, int failures) {
        return RetryPolicy.backoff(initial, max, failures);
    }

    /** {@code ranger_model_calls_total} and, once the call started, its latency {@code ranger_model_call_seconds}. */
    private void count(String outcome, long startedNanos) {
        metrics.counter("ranger.model.calls", "outcome", outcome, "model", config.name()).increment();
        if (startedNanos != 0) {
            Timer.builder("ranger.model.call").description("Model call latency, by model and outcome")
                    .tags("outcome", outcome, "model", config.name()).publishPercentileHistogram()
                    .serviceLevelObjectives(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30))
                    .minimumExpectedValue(Duration.ofMillis(50)).maximumExpectedValue(Duration.ofMinutes(2))
                    .register(metrics).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }
    }

    private static void sleep(Duration delay, int attempts) throws ModelFailedException {
        try {
            TimeUnit.NANOSECONDS.sleep(delay.toNanos());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelFailedException("Interrupted while backing off.", attempts, e);
        }
    }

    private static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
