package io.receiptranger.sheets.sheets;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Truncated exponential back-off with jitter, as Google asks for 429 and 5xx:
 * {@code wait = random(½, 1] × min(initial × 2^attempt, max)}.
 */
public final class Backoff {

    private final Duration initial;
    private final Duration max;
    private int attempt;

    public Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** The next wait; grows until {@code max}. */
    public Duration next() {
        long cap = max.toMillis();
        long base = Math.min(cap, initial.toMillis() * (1L << Math.min(attempt, 30)));
        attempt++;
        long jittered = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    public int attempts() {
        return attempt;
    }

    public void reset() {
        attempt = 0;
    }
}
