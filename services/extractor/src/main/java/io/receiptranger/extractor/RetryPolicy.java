package io.receiptranger.extractor;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The back-off and time budget shared by everything the extractor retries (model calls, blob-store
 * reads): exponential back-off with full jitter, capped, inside a per-receipt time budget. One
 * policy, configured per dependency ({@code ranger.model.*}, {@code ranger.blob.*}).
 */
public record RetryPolicy(Duration initialBackoff, Duration maxBackoff, Duration budget) {

    /** The wait before the next try after {@code failures} consecutive transient failures. */
    public Duration backoff(int failures) {
        return backoff(initialBackoff, maxBackoff, failures);
    }

    /** Exponential back-off with full jitter: uniform in [0, min(max, initial × 2^(n-1))], at least 10 ms. */
    public static Duration backoff(Duration initial, Duration max, int failures) {
        long ceiling = Math.min(max.toMillis(), initial.toMillis() * (1L << Math.min(20, Math.max(0, failures - 1))));
        return Duration.ofMillis(Math.max(10, ThreadLocalRandom.current().nextLong(Math.max(0, ceiling) + 1)));
    }

    /** "120 s" or "300 ms": the budget as a failure sentence states it. */
    public String budgetText() {
        return budget.toMillis() % 1000 == 0 ? budget.toSeconds() + " s" : budget.toMillis() + " ms";
    }
}
