package io.receiptranger.extractor;

import java.util.ArrayDeque;
import java.util.function.LongSupplier;

/**
 * How many model calls may be in flight, following the provider (AIMD, like Netflix's
 * concurrency-limits {@code AIMDLimit}): it starts at {@code initial} (RANGER_MODEL_CONCURRENCY),
 * grows by one per full round of successful calls while their latency stays flat and the limit is
 * actually used, and halves on a 429 or when latency rises past {@code tolerance} × the quickest
 * recent call — never below 1 nor above {@code max} (RANGER_MODEL_CONCURRENCY_MAX). Only a 429 takes
 * it below {@code initial}: a latency rise says "stop growing" (the provider queues), not "send less
 * than the operator configured" — a model whose answers simply got slower (a bigger image, a longer
 * receipt, a provider's busy hour) must not cut throughput below RANGER_MODEL_CONCURRENCY.
 * One decrease per round: the calls already in flight when the limit was cut do not cut it again.
 * Memory is fixed (a ring of {@link #WINDOW} latencies), whatever the traffic.
 * Permits go first come, first served: a worker that just finished a receipt and asks again queues
 * behind the ones already waiting, so no receipt loses the race for a slot round after round
 * (with a bare {@code notifyAll} one waited 26 s in the throughput bench while others went ahead).
 */
public final class AdaptiveConcurrency {

    /** Successful calls whose quickest latency is the "no load" baseline. */
    static final int WINDOW = 50;
    /** Weight of the newest latency in the short-term average. */
    static final double SMOOTHING = 0.3;

    private final int max;
    private final int initial;
    private final double tolerance;
    private final LongSupplier nanoClock;
    private final long[] recent = new long[WINDOW];
    private int recorded;
    private int next;
    private double limit;
    private double shortTerm = -1;
    private int inFlight;
    private long epoch;
    /** The workers waiting for a permit, in the order they asked: only the head may take one. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    /** A granted call: hand it back with {@link #release}. */
    public record Permit(long startedAt, long epoch) {
    }

    /** How a call ended, for the limit. */
    public enum Outcome {
        /** The provider answered (a usable reading or not): a latency sample. */
        ANSWERED,
        /** HTTP 429: the provider wants fewer calls. */
        RATE_LIMITED,
        /** Timeout, 5xx, network: no sample, no signal (the circuit breaker deals with outages). */
        FAILED
    }

    public AdaptiveConcurrency(int initial, int max, double tolerance, LongSupplier nanoClock) {
        this.max = Math.max(1, Math.max(initial, max));
        this.initial = Math.max(1, Math.min(initial, this.max));
        this.limit = this.initial;
        this.tolerance = tolerance;
        this.nanoClock = nanoClock;
    }

    /** Waits until a call may start, behind every call that asked before it. */
    public synchronized Permit acquire() throws InterruptedException {
        Object turn = new Object();
        waiting.addLast(turn);
        try {
            while (waiting.peekFirst() != turn || inFlight >= limit()) {
                wait();
            }
        } catch (InterruptedException e) {
            waiting.remove(turn);
            // The head may have changed: the next in line looks again.
            notifyAll();
            throw e;
        }
        waiting.removeFirst();
        inFlight++;
        // The limit may have room for the next in line too.
        notifyAll();
        return new Permit(nanoClock.getAsLong(), epoch);
    }

    public synchronized void release(Permit permit, Outcome outcome) {
        // The limit is being used (at least half of it in flight), not just allowed: only then may it grow.
        boolean used = inFlight * 2 >= limit;
        inFlight--;
        switch (outcome) {
            case RATE_LIMITED -> decrease(permit, 1);
            case ANSWERED -> {
                long latency = nanoClock.getAsLong() - permit.startedAt();
                shortTerm = shortTerm < 0 ? latency : SMOOTHING * latency + (1 - SMOOTHING) * shortTerm;
                long baseline = baseline();
                recent[next] = latency;
                next = (next + 1) % WINDOW;
                recorded = Math.min(WINDOW, recorded + 1);
                if (baseline > 0 && shortTerm > tolerance * baseline) {
                    decrease(permit, initial);
                } else if (used && limit < max) {
                    // Additive increase: about +1 once a whole limit's worth of calls succeeded.
                    limit = Math.min(max, limit + 1.0 / limit);
                }
            }
            case FAILED -> {
            }
        }
        notifyAll();
    }

    private void decrease(Permit permit, int floor) {
        if (permit.epoch() != epoch || limit <= floor) {
            return;
        }
        limit = Math.max(floor, limit / 2);
        epoch++;
        // The latencies of the overloaded round say nothing about the new, smaller one.
        shortTerm = -1;
    }

    private long baseline() {
        long min = Long.MAX_VALUE;
        for (int i = 0; i < recorded; i++) {
            min = Math.min(min, recent[i]);
        }
        return recorded == 0 ? 0 : min;
    }

    /** Calls allowed in flight now. */
    public synchronized int limit() {
        return (int) Math.floor(limit);
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    /** Calls waiting for a permit. */
    public synchronized int waiting() {
        return waiting.size();
    }
}
