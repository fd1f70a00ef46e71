package io.receiptranger.sheets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.receiptranger.sheets.ledger.Ledger;

/** The ledger without Kafka, for logic tests; {@link #failNextRecords} simulates a Kafka outage. */
class InMemoryLedger implements Ledger {

    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();
    final List<LedgerEntry> history = new ArrayList<>();
    private int failures;

    synchronized void failNextRecords(int count) {
        failures = count;
    }

    @Override
    public synchronized Optional<LedgerEntry> get(String receiptId) {
        return Optional.ofNullable(entries.get(receiptId));
    }

    @Override
    public synchronized void record(List<LedgerEntry> batch) {
        if (failures > 0) {
            failures--;
            throw new io.receiptranger.sheets.ledger.LedgerUnavailableException("simulated Kafka outage", null);
        }
        for (LedgerEntry e : batch) {
            entries.remove(e.receiptId());
            entries.put(e.receiptId(), e);
            history.add(e);
        }
    }

    @Override
    public synchronized List<LedgerEntry> all() {
        return List.copyOf(entries.values());
    }

    @Override
    public void awaitCaughtUp() {
    }

    @Override
    public boolean ready() {
        return true;
    }
}
