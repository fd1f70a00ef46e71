package io.receiptranger.sheets;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.messaging.StatusPublisher;

/**
 * The two durable side effects of every outcome, in their order: the ledger entry first
 * (acknowledged by Kafka), then the status the user sees. Both are retried until they succeed; a
 * retry may publish a status twice, which is allowed (a receipt's view never moves backwards).
 */
@ApplicationScoped
class Bookkeeping {

    private final Ledger ledger;
    private final StatusPublisher statuses;
    private final Retrying retrying;

    @Inject
    Bookkeeping(Ledger ledger, StatusPublisher statuses, SinkConfig config) {
        this(ledger, statuses, new Retrying(config.sheets().backoff().initial(), config.sheets().backoff().max()));
    }

    Bookkeeping(Ledger ledger, StatusPublisher statuses, Retrying retrying) {
        this.ledger = ledger;
        this.statuses = statuses;
        this.retrying = retrying;
    }

    /** Returns once this replica's ledger copy holds everything any replica recorded so far. */
    void awaitLedgerCaughtUp() {
        retrying.run("the ledger is not readable", ledger::awaitCaughtUp);
    }

    void record(List<LedgerEntry> entries) {
        if (!entries.isEmpty()) {
            retrying.run("the ledger could not be written", () -> ledger.record(entries));
        }
    }

    /** Records without retrying, for a caller whose retry repeats more than this step (a sheet write reads the sheet again). */
    void recordOnce(List<LedgerEntry> entries) {
        ledger.record(entries);
    }

    void publish(List<ReceiptStatus> list) {
        if (!list.isEmpty()) {
            retrying.run("statuses could not be published", () -> statuses.publishAll(list));
        }
    }

    /** Publishes without retrying (best effort, for a last resort that must not hang). */
    void publishOnce(List<ReceiptStatus> list) {
        statuses.publishAll(list);
    }

    /** Records the entries, then publishes their statuses. */
    void settle(List<LedgerEntry> entries) {
        record(entries);
        publish(entries.stream().map(LedgerEntry::status).toList());
    }

    Retrying retrying() {
        return retrying;
    }
}
