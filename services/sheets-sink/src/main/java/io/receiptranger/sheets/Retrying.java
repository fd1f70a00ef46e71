package io.receiptranger.sheets;

import java.time.Duration;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.sheets.Backoff;

/**
 * Waits out a step that must eventually succeed (Kafka, the ledger): retried with back-off for as
 * long as it takes, because a batch left unacknowledged pauses consumption instead of failing it.
 */
final class Retrying {

    private final Duration initial;
    private final Duration max;

    Retrying(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    Backoff backoff() {
        return new Backoff(initial, max);
    }

    void run(String what, Runnable action) {
        Backoff backoff = backoff();
        while (true) {
            try {
                action.run();
                return;
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration wait = backoff.next();
                Log.warnf("%s (%s); retrying in %d ms", what, e.getMessage(), wait.toMillis());
                sleep(wait);
            }
        }
    }

    static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
