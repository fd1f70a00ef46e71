package io.receiptranger.extractor.ai;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.message.ImageContent;
import dev.langchain4j.model.chat.ChatModel;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.instrumentation.annotations.WithSpan;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.receiptranger.extractor.ModelGate;
import io.receiptranger.extractor.RetryPolicy;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.ReceiptImage;
import io.receiptranger.extractor.keys.ModelRoute;
import io.receiptranger.extractor.keys.Redaction;

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
    private final OwnerChatModels owners;
    private final ExtractorConfig.Model config;
    private final MeterRegistry metrics;

    public ModelClient(ReceiptExtractor extractor, ModelGate gate, OwnerChatModels owners, ExtractorConfig config,
            MeterRegistry metrics) {
        this.extractor = extractor;
        this.gate = gate;
        this.owners = owners;
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

    /**
     * One span per reading ("model read", retries included): the model call in the receipt's trace.
     * Reads the image along {@code route}: the deployment's model, or the owner's own. An owner's endpoint
     * has no shared circuit breaker (one user's provider being down must not pause everybody's receipts):
     * its failures are retried within the same attempt cap and budget, and its sentences name the saved
     * key instead of OPENAI_API_KEY, with anything key-like the provider echoed taken out.
     */
    @WithSpan("model read")
    public Answer read(ModelRoute route, ReceiptImage image, String today, String criteria) throws ModelFailedException {
        Span.current().setAttribute("ranger.model", route.kind() == ModelRoute.Kind.OWN ? route.model() : config.name());
        if (route.kind() != ModelRoute.Kind.OWN) {
            try {
                return read(null, gate.breaker(), image, today, criteria, config.name());
            } catch (ModelFailedException e) {
                throw new ModelFailedException(Redaction.redact(e.getMessage(), null), e.attempts(), e.getCause());
            }
        }
        try {
            return read(owners.forRoute(route), new CircuitBreaker(Integer.MAX_VALUE, Duration.ofSeconds(1)), image,
                    today, criteria, route.model());
        } catch (ModelFailedException e) {
            throw new ModelFailedException(ownKeySentence(e.getMessage(), route.apiKey()), e.attempts(), null);
        }
    }

    /** The sentences of {@link FailureClassifier} name OPENAI_API_KEY; for an owner's key they name the settings. */
    static String ownKeySentence(String reason, String apiKey) {
        String out = reason.replace("check OPENAI_API_KEY", "check the model key saved in your settings")
                .replace("of the OPENAI_API_KEY account", "of the account of the model key saved in your settings");
        return Redaction.redact(out, apiKey);
    }

    private Answer read(ChatModel own, CircuitBreaker breaker, ReceiptImage image, String today, String criteria,
            String modelName) throws ModelFailedException {
        ImageContent content = ImageContent.from(image.base64(), image.format().mimeType(),
                ImageContent.DetailLevel.HIGH);
        try {
            // A receipt that has not started yet waits out an open breaker before its budget starts:
            // with every worker waiting here, the Kafka connector's queue fills and it pauses the consumer.
            breaker.awaitPermission(Long.MAX_VALUE);
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
                if (!breaker.awaitPermission(deadline)) {
                    throw new ModelFailedException("The model provider is unavailable (circuit open) and the retry "
                            + "budget of " + config.retryBudget().toSeconds() + " s is spent.", attempts, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelFailedException("Interrupted while waiting for the model provider.", attempts, e);
            }
            FailureClassifier.Failure failure;
            boolean rateLimited = false;
            attempts++;
            long[] callStart = new long[1];
            try {
                ReceiptReading reading = gate.withPermit(() -> {
                    callStart[0] = System.nanoTime();
                    return own == null ? extractor.extract(content, today, criteria)
                            : RoutedChatModel.with(own, () -> extractor.extract(content, today, criteria));
                });
                if (reading == null) {
                    throw new IllegalStateException("empty answer");
                }
                breaker.recordSuccess();
                count("ok", modelName, callStart[0]);
                return new Answer(reading, attempts);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ModelFailedException("Interrupted while calling the model provider.", attempts, e);
            } catch (Exception e) {
                failure = FailureClassifier.classify(e);
                rateLimited = FailureClassifier.isRateLimited(e);
                if (failure.kind() == FailureClassifier.Kind.GARBAGE) {
                    Log.debugf(e, "unusable model answer");
                    Log.infof("unusable model answer: %s", FailureClassifier.chain(e));
                }
            }
            count(failure.kind().name().toLowerCase(), modelName, callStart[0]);
            switch (failure.kind()) {
                case FATAL -> {
                    // The provider answered: it is up, so this says nothing about the breaker.
                    breaker.recordSuccess();
                    throw new ModelFailedException(capitalise(failure.reason()) + ".", attempts, null);
                }
                case GARBAGE -> {
                    breaker.recordSuccess();
                    if (++garbage > 1) {
                        throw new ModelFailedException("The model gave no usable answer twice: " + failure.reason() + ".",
                                attempts, null);
                    }
                    Log.infof("model answer unusable (%s); one more try", failure.reason());
                }
                case TRANSIENT -> {
                    transientFailures++;
                    if (rateLimited) {
                        // A 429 is the provider pacing us, not an outage: it answered, so the breaker is
                        // not fed (three of them would stop every receipt for the open duration while the
                        // adaptive limit is already halving), and the receipt waits within its time
                        // budget without spending its attempts (insufficient_quota is FATAL, not here).
                        breaker.recordSuccess();
                    } else {
                        breaker.recordFailure();
                        // While the breaker is open the provider is down for everyone: that is an outage,
                        // which delays this receipt (time budget only) instead of spending its attempts.
                        if (breaker.state() == CircuitBreaker.State.CLOSED) {
                            counted++;
                        }
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
    private void count(String outcome, String modelName, long startedNanos) {
        metrics.counter("ranger.model.calls", "outcome", outcome, "model", modelName).increment();
        if (startedNanos != 0) {
            Timer.builder("ranger.model.call").description("Model call latency, by model and outcome")
                    .tags("outcome", outcome, "model", modelName).publishPercentileHistogram()
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
