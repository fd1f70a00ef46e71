package io.receiptranger.sheets.sheets;

/**
 * Spaces calls so that no more than {@code n} start in any minute (Google counts requests per
 * minute per service account). Batching makes each call carry many rows, so spacing costs little.
 */
public final class Throttle {

    private final long spacingNanos;
    private long next;

    private Throttle(long spacingNanos) {
        this.spacingNanos = spacingNanos;
    }

    public static Throttle perMinute(int calls) {
        return new Throttle(calls <= 0 ? 0 : 60_000_000_000L / calls);
    }

    public void acquire() {
        long wait;
        synchronized (this) {
            long now = System.nanoTime();
            long start = Math.max(now, next);
            next = start + spacingNanos;
            wait = start - now;
        }
        if (wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
