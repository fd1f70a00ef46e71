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

    /** Receipt ids per owner and UTC day of submission, for the daily limit; only today and yesterday are kept. */
    private final ConcurrentMap<String, java.util.Set<String>> daily = new ConcurrentHashMap<>();
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


    /**
     * How many receipts the owner submitted on this UTC day, as far as this replica has read: its own
     * uploads at once, every other replica's and producer's from {@code receipts}.
     */
    public int receiptsOn(String owner, java.time.LocalDate day) {
        java.util.Set<String> ids = daily.get(owner + "|" + day);
        return ids == null ? 0 : ids.size();
    }

    private void count(String owner, String receiptId, Instant at) {
        java.time.LocalDate day = (at == null ? Instant.now() : at).atOffset(java.time.ZoneOffset.UTC).toLocalDate();
        java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
        if (day.isBefore(today.minusDays(1))) {
            return;
        }
        if (daily.computeIfAbsent(owner + "|" + day, k -> ConcurrentHashMap.newKeySet()).add(receiptId)
                && daily.size() > 1000) {
            daily.keySet().removeIf(k -> java.time.LocalDate.parse(k.substring(k.lastIndexOf('|') + 1)).isBefore(today.minusDays(1)));
        }
    }

    /**
     * The owner's batch now. Another owner's batch is exactly as absent as an unknown one, and so is
     * a batch whose {@code ReceiptSubmitted} this replica has not read yet (statuses carry no owner).
     */
    public Optional<BatchSnapshot> find(String batchId, String owner) {
        return owned(batchId, owner).map(BatchView::snapshot);
    }

    /** Any owner's batch: for this package's tests only, never for an answer to a caller. */
    Optional<BatchSnapshot> find(String batchId) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.of(view.snapshot());
    }

    private Optional<BatchView> owned(String batchId, String owner) {
        BatchView view = batchId == null || owner == null ? null : batches.get(batchId);
        return view != null && owner.equals(view.owner()) ? Optional.of(view) : Optional.empty();
    }

    /** One receipt as the view knows it now; empty when the batch or the receipt is unknown. */
    public Optional<ReceiptView> receipt(String batchId, String receiptId) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.ofNullable(view.receipt(receiptId));
    }

    /** Subscribes to the owner's batch; empty when it is unknown or another owner's. The returned action unsubscribes. */
    public Optional<Runnable> subscribe(String batchId, String owner, BatchListener listener) {
        return owned(batchId, owner).map(view -> view.subscribe(listener));
    }

    /** Any owner's batch: for this package's tests only. */
    Optional<Runnable> subscribe(String batchId, BatchListener listener) {
        BatchView view = batchId == null ? null : batches.get(batchId);
        return view == null ? Optional.empty() : Optional.of(view.subscribe(listener));
    }

    /** This replica's own upload: known at once, with its file name, before Kafka has it. */
    public void received(ReceiptSubmitted r, ReceiptStatus received) {
        BatchView view = batch(r.batchId(), r.submittedAt());
        view.own(ownerOf(r));
        count(ownerOf(r), r.receiptId(), r.submittedAt());
        view.known(r.receiptId(), r.fileName(), received.stage(), received.detail(),
                received.service(), received.at());
    }

    /** How many progress streams watch the batch now (to see that closed sockets let go). */
    public int watchers(String batchId) {
        BatchView view = batches.get(batchId);
        return view == null ? 0 : view.listeners();
    }

    public void submitted(ReceiptSubmitted r) {
        if (r.receiptId() != null) {
            count(ownerOf(r), r.receiptId(), r.submittedAt());
        }
        if (r.batchId() == null || r.receiptId() == null) {
            return;
        }
        BatchView view = batch(r.batchId(), r.submittedAt());
        if (!view.own(ownerOf(r))) {
            // A producer reusing another owner's batch id must not add to (or read) that batch.
            Log.warnf("Receipt %s names batch %s of another owner; left out of the batch view", r.receiptId(), r.batchId());
            return;
        }
        // Being on the topic is what QUEUED means, whoever produced the record.
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
        } else if (s.rereads()) {
            view.rereading(s.receiptId(), s.stage(), s.detail(), s.service(), s.at());
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
        if (e.owner() != null && !view.own(e.owner())) {
            return;
        }
        view.extracted(e);
        settle(view);
    }

    /** CONTRACT §2: a ReceiptSubmitted without owner belongs to {@code default}. */
    static String ownerOf(ReceiptSubmitted r) {
        return r.owner() == null || r.owner().isBlank() ? "default" : r.owner();
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
