package io.receiptranger.sheets.ledger;

import java.util.List;
import java.util.Optional;

import io.receiptranger.sheets.LedgerEntry;

/** What the sink remembers of every receipt it handled, readable by every replica. */
public interface Ledger {

    Optional<LedgerEntry> get(String receiptId);

    /** Stores the entries durably (acknowledged by Kafka) before returning. */
    void record(List<LedgerEntry> entries);

    /** Every entry, oldest first. */
    List<LedgerEntry> all();

    /** Waits until this copy holds everything recorded so far by any replica. */
    void awaitCaughtUp();

    /** Whether the copy has been rebuilt since startup. */
    boolean ready();
}
