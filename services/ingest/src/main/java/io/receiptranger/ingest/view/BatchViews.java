package io.receiptranger.ingest.view;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.ReceiptSubmitted;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * The batches this replica has heard of, in memory. Filled from the topics (so every replica knows
 * every batch, whoever took the upload) and, for this replica's own uploads, at once. Bounded: a
 * complete batch is let go once it has been at rest for {@code ranger.views.terminal-retention}
 * (the sweep runs every minute, and on every start the replay of the topics lets old batches go as
 * it reads them), and at most {@code ranger.views.max-batches} are held (over it, the longest-resting
 * batch goes first, complete ones before any in flight). The ids let go are remembered (a bounded
 * number of them) so a question about one is answered "too old", not "unknown", and late records for
 * them do not bring back a partial batch.
 */
@ApplicationScoped
public class BatchViews {

    private final ConcurrentMap<String, BatchView> batches = new ConcurrentHashMap<>();
    private final Duration retention;
    private final int maxBatches;
    private final int rememberedEvictions;
    private final Clock clock;
    /** Ids of batches let go, oldest first, at most {@link #rememberedEvictions}. */
    private final Map<String, Boolean> evicted = new LinkedHashMap<>();

    private final StageObserver observer;

    @Inject
    public BatchViews(IngestConfig config, StageObserver observer) {
        this(config.views().terminalRetention(), config.views().maxBatches(), config.views().rememberedEvictions(),
                Clock.systemUTC(), observer);
    }

    /** Views nobody observes that keep every batch for a year, with room for 100,000 (tests of other parts). */
    public BatchViews() {
        this(StageObserver.NONE);
    }

    /** Observed views that keep every batch for a year (tests of the observer). */
    public BatchViews(StageObserver observer) {
        this(Duration.ofDays(365), 100_000, 100_000, Clock.systemUTC(), observer);
    }

    BatchViews(Duration retention, int maxBatches, int rememberedEvictions, Clock clock) {
        this(retention, maxBatches, rememberedEvictions, clock, StageObserver.NONE);
    }

    BatchViews(Duration retention, int maxBatches, int rememberedEvictions, Clock clock, StageObserver observer) {
        this.retention = retention;
        this.maxBatches = maxBatches;
        this.rememberedEvictions = rememberedEvictions;
        this.clock = clock;
        this.observer = observer;
    }

    /** Whether the batch was held here once and let go for its age (or for room). */
    public boolean tooOld(String batchId) {
        synchronized (evicted) {
            return batchId != null && evicted.containsKey(batchId);
        }
    }

    /** How many batches are held now. */
    public int size() {
        return batches.size();
    }

    /** Lets go of every complete batch at rest for longer than the retention. */
    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public void sweep() {
        Instant horizon = clock.instant().minus(retention);
        for (BatchView view : batches.values()) {
            if (view.complete() && view.lastActivity().isBefore(horizon)) {
                evict(view);
            }
        }
    }

    public Optional<BatchSnapshot> find(String batchId) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.of(view.snapshot());
    }

    /** One receipt as the view knows it now; empty when the batch or the receipt is unknown. */
    public Optional<ReceiptView> receipt(String batchId, String receiptId) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.ofNullable(view.receipt(receiptId));
    }

    /** Subscribes to a batch; empty when the batch is unknown. The returned action unsubscribes. */
    public Optional<Runnable> subscribe(String batchId, BatchListener listener) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.of(view.subscribe(listener));
    }

    /** This replica's own upload: known at once, with its file name, before Kafka has it. */
    public void received(ReceiptSubmitted r, ReceiptStatus received) {
        batch(r.batchId(), r.submittedAt()).known(r.receiptId(), r.fileName(), received.stage(), received.detail(),
                received.service(), received.at());
    }

    /** How many progress streams watch the batch now (to see that closed sockets let go). */
    public int watchers(String batchId) {
        BatchView view = batches.get(batchId);
        return view == null ? 0 : view.listeners();
    }

    public void submitted(ReceiptSubmitted r) {
        if (r.batchId() == null || r.receiptId() == null) {
            return;
        }
        // Being on the topic is what QUEUED means, whoever produced the record.
        BatchView view = batch(r.batchId(), r.submittedAt());
        view.known(r.receiptId(), r.fileName(), Stage.QUEUED, "waiting for the extractor", "ingest", r.submittedAt());
        settle(view);
    }

    public void status(ReceiptStatus s) {
        if (s.batchId() == null || s.receiptId() == null || s.stage() == null) {
            return;
        }
        BatchView view = batch(s.batchId(), s.at());
        if (s.reopens()) {
            view.reopened(s.receiptId(), s.stage(), s.detail(), s.service(), s.at());
        } else {
            view.known(s.receiptId(), null, s.stage(), s.detail(), s.service(), s.at());
        }
        settle(view);
    }

    public void extracted(ReceiptExtracted e) {
        if (e.batchId() == null || e.receiptId() == null) {
            return;
        }
        BatchView view = batch(e.batchId(), e.extractedAt());
        view.extracted(e);
        settle(view);
    }

    /** The batch's view, made when first heard of; a batch already let go gets a throwaway view (not kept). */
    private BatchView batch(String batchId, Instant at) {
        BatchView existing = batches.get(batchId);
        if (existing != null) {
            return existing;
        }
        if (tooOld(batchId)) {
            // not kept, not observed: its stages were counted when it was held
            return new BatchView(batchId, at == null ? clock.instant() : at);
        }
        if (batches.size() >= maxBatches) {
            makeRoom();
        }
        return batches.computeIfAbsent(batchId, id -> new BatchView(id, at == null ? clock.instant() : at, observer));
    }

    /** After a record changed a batch: a replayed batch that is complete and long at rest goes at once. */
    private void settle(BatchView view) {
        if (view.complete() && view.lastActivity().isBefore(clock.instant().minus(retention))) {
            evict(view);
        }
    }

    private void makeRoom() {
        Comparator<BatchView> order = Comparator.comparing((BatchView v) -> !v.complete())
                .thenComparing(BatchView::lastActivity);
        batches.values().stream().min(order).ifPresent(oldest -> {
            if (!oldest.complete()) {
                Log.warnf("The views hold %d batches (ranger.views.max-batches): letting go of batch %s while in flight",
                        batches.size(), oldest.batchId());
            }
            evict(oldest);
        });
    }

    private void evict(BatchView view) {
        synchronized (evicted) {
            evicted.put(view.batchId(), Boolean.TRUE);
            Iterator<String> oldest = evicted.keySet().iterator();
            while (evicted.size() > rememberedEvictions && oldest.hasNext()) {
                oldest.next();
                oldest.remove();
            }
        }
        batches.remove(view.batchId(), view);
    }
}
