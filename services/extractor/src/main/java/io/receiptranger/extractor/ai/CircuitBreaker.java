package io.receiptranger.extractor.ai;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Opens after N consecutive transient failures across all receipts, stays open for a while, then lets
 * calls through again (half-open: the next success closes it, the next failure re-opens it). Whoever
 * listens (the consumer) pauses while it is open, so a provider outage delays receipts instead of
 * burning their retry budgets.
 */
public final class CircuitBreaker {

    public enum State {
        CLOSED, OPEN, HALF_OPEN
    }

    private final int threshold;
    private final Duration openDuration;
    private final List<Consumer<State>> listeners = new ArrayList<>();
    private int consecutiveFailures;
    private State state = State.CLOSED;
    private long openUntilNanos;

    public CircuitBreaker(int threshold, Duration openDuration) {
        this.threshold = Math.max(1, threshold);
        this.openDuration = openDuration;
    }

    public synchronized void onStateChange(Consumer<State> listener) {
        listeners.add(listener);
    }

    public synchronized State state() {
        if (state == State.OPEN && System.nanoTime() >= openUntilNanos) {
            transition(State.HALF_OPEN);
        }
        return state;
    }

    /**
     * Waits while the breaker is open, at most until {@code deadlineNanos}. True when a call may go
     * now; false when the deadline came first.
     */
    public boolean awaitPermission(long deadlineNanos) throws InterruptedException {
        while (true) {
            long waitNanos;
            synchronized (this) {
                if (state() != State.OPEN) {
                    return true;
                }
                waitNanos = Math.min(openUntilNanos, deadlineNanos) - System.nanoTime();
                if (System.nanoTime() >= deadlineNanos) {
                    return false;
                }
                if (waitNanos > 0) {
                    wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000 / 1000));
                }
            }
        }
    }

    public synchronized void recordSuccess() {
        consecutiveFailures = 0;
        if (state != State.CLOSED) {
            transition(State.CLOSED);
        }
    }

    public synchronized void recordFailure() {
        consecutiveFailures++;
        if (state() == State.HALF_OPEN || (state == State.CLOSED && consecutiveFailures >= threshold)) {
            openUntilNanos = System.nanoTime() + openDuration.toNanos();
            transition(State.OPEN);
        }
    }

    private void transition(State next) {
        if (state == next) {
            return;
        }
        state = next;
        notifyAll();
        for (Consumer<State> listener : listeners) {
            listener.accept(next);
        }
    }
}
