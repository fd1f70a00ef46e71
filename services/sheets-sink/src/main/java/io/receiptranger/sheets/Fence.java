package io.receiptranger.sheets;

/**
 * Guards a batch's writes against a rebalance: the batch's partitions of {@code extractions} were
 * held by this replica when the batch arrived; {@link #check()} throws once any of them moved to
 * another replica, so a writer that lost its partition never sends a row the new holder will send
 * too. Checked after the PENDING entries (which name {@link #writer()}) are acknowledged and right
 * before each Google write.
 */
public interface Fence {

    /** Who is writing: stamped on every PENDING entry, so a new holder knows a write may be in flight. */
    LedgerEntry.Writer writer();

    /** @throws WriterFencedException when this replica no longer holds every partition of the batch */
    void check();

    /** A writer that is never fenced (one replica, unit tests). */
    static Fence unfenced(String instance) {
        LedgerEntry.Writer writer = new LedgerEntry.Writer(instance, 0);
        return new Fence() {
            public LedgerEntry.Writer writer() {
                return writer;
            }

            public void check() {
            }
        };
    }
}
