package io.receiptranger.sheets;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.messaging.PartitionClaims;
import io.smallrye.common.annotation.Identifier;

/**
 * The new holder's half of a partition handover: a receipt whose ledger entry is PENDING by another
 * replica may still be on its way to Google (that replica checked its fence, then lost the
 * partition mid-call). Such a receipt waits until its entry is settled or until the longest a
 * Google call can last has passed since it was recorded ({@code grace} = connect + read time-out +
 * a margin for clock skew between hosts); then the sheet is read, and a row that landed is found
 * and owned, never written again. Entries of this replica's own predecessor (same instance id: it
 * is dead or fenced by the broker) and entries released by a fenced writer do not wait.
 */
@ApplicationScoped
class Handover {

    static final Duration CLOCK_MARGIN = Duration.ofSeconds(2);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Ledger ledger;
    private final Bookkeeping book;
    private final String instance;
    private final Duration grace;
    private final Clock clock;

    @Inject
    Handover(Ledger ledger, Bookkeeping book, @Identifier(PartitionClaims.NAME) PartitionClaims claims, SinkConfig config) {
        this(ledger, book, claims.instance(), config.sheets().connectTimeout().plus(config.sheets().readTimeout()).plus(CLOCK_MARGIN),
                Clock.systemUTC());
    }

    Handover(Ledger ledger, Bookkeeping book, String instance, Duration grace, Clock clock) {
        this.ledger = ledger;
        this.book = book;
        this.instance = instance;
        this.grace = grace;
        this.clock = clock;
    }

    String instance() {
        return instance;
    }

    /** Returns once no receipt of the batch can still be in flight at another replica. */
    void awaitWritesElsewhere(List<String> receiptIds) {
        boolean logged = false;
        while (true) {
            Instant now = clock.instant();
            Optional<LedgerEntry> busy = receiptIds.stream().map(ledger::get).flatMap(Optional::stream)
                    .filter(e -> e.inFlightElsewhere(instance))
                    .filter(e -> e.recordedAt() != null && e.recordedAt().plus(grace).isAfter(now))
                    .findFirst();
            if (busy.isEmpty()) {
                return;
            }
            if (!logged) {
                Log.infof("Receipt %s may still be being written by replica %s (generation %d): waiting until its write ends, at most %d s",
                        busy.get().receiptId(), busy.get().writer().instance(), busy.get().writer().generation(), grace.toSeconds());
                logged = true;
            }
            Retrying.sleep(POLL);
            book.awaitLedgerCaughtUp();
        }
    }
}
