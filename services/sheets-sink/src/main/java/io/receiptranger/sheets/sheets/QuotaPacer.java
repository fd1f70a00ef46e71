package io.receiptranger.sheets.sheets;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Paces the calls of one kind (reads or writes) of one service account under Google's per-minute
 * quota, without spacing calls that need no spacing:
 * <ul>
 *   <li>a <b>token bucket</b> of {@code burst} tokens, refilled at {@code perMinute / 60 s}: an idle
 *       sink calls at once, a busy one settles at one call per {@code 60 s / perMinute};</li>
 *   <li>a <b>window</b> of the last {@code perMinute} call starts: a call never starts while
 *       {@code perMinute} others started in the 60 s before it, so no minute, aligned or not, ever
 *       holds more than the quota, however the bucket was spent.</li>
 * </ul>
 * Memory is fixed ({@code perMinute} longs), whatever the traffic.
 */
public final class QuotaPacer {

    static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    private final int perMinute;
    private final int burst;
    private final long interval;
    private final long[] starts;
    private final LongSupplier nanoClock;
    private final Sleeper sleeper;
    private int recorded;
    private int oldest;
    private double tokens;
    private long refilledAt;

    /** Sleeps for the given nanoseconds (a fake clock advances instead, in tests). */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    public QuotaPacer(int perMinute, int burst, LongSupplier nanoClock, Sleeper sleeper) {
        this.perMinute = perMinute;
        this.burst = Math.max(1, Math.min(burst, Math.max(perMinute, 1)));
        this.interval = perMinute <= 0 ? 0 : MINUTE / perMinute;
        this.starts = new long[Math.max(perMinute, 0)];
        this.nanoClock = nanoClock;
        this.sleeper = sleeper;
        this.tokens = this.burst;
        this.refilledAt = nanoClock.getAsLong();
    }

    /** {@code perMinute} ≤ 0: unpaced. */
    public static QuotaPacer perMinute(int perMinute, int burst) {
        return new QuotaPacer(perMinute, burst, System::nanoTime, nanos -> TimeUnit.NANOSECONDS.sleep(nanos));
    }

    /** Waits until a call may start under the quota, and counts it as started. */
    public void acquire() {
        long wait = reserve();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * How long the next batch should gather records before its first call (nanoseconds): nothing while
     * at least half the burst is left, so an idle sink writes at once; then longer as the bucket
     * empties, up to one refill interval when it is empty, and at least until the minute's window has
     * room again. A call costs the same for one row as for two hundred: once the quota is being
     * spent, the records that arrive meanwhile are better in this call than in the next one, which
     * would spend another token and wait for it.
     */
    public synchronized long gather() {
        if (perMinute <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        double available = Math.min(burst, tokens + (double) Math.max(0, now - refilledAt) / interval);
        double half = burst / 2.0;
        long byTokens = available >= half ? 0 : Math.round(interval * (1 - available / half));
        long byWindow = recorded == perMinute ? Math.max(0, starts[oldest] + MINUTE - now) : 0;
        return Math.max(byTokens, byWindow);
    }

    /** Books the next start and returns how long to wait for it (nanoseconds). */
    synchronized long reserve() {
        if (perMinute <= 0) {
            return 0;
        }
        long now = nanoClock.getAsLong();
        long start = Math.max(now, refilledAt);
        double available = Math.min(burst, tokens + (double) (start - refilledAt) / interval);
        if (available < 1) {
            start += (long) Math.ceil((1 - available) * interval);
        }
        if (recorded == perMinute) {
            start = Math.max(start, starts[oldest] + MINUTE);
        }
        tokens = Math.min(burst, tokens + (double) (start - refilledAt) / interval) - 1;
        refilledAt = start;
        if (recorded < perMinute) {
            starts[(oldest + recorded++) % perMinute] = start;
        } else {
            starts[oldest] = start;
            oldest = (oldest + 1) % perMinute;
        }
        return start - now;
    }
}
