package io.receiptranger.ingest.view;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.ReceiptSubmitted;
import io.receiptranger.ingest.Stage;

/**
 * Every batch this replica has heard of, in memory. Filled from the topics (so every replica knows
 * every batch, whoever took the upload) and, for this replica's own uploads, at once.
 */
@ApplicationScoped
public class BatchViews {

    private final ConcurrentMap<String, BatchView> batches = new ConcurrentHashMap<>();
    private final StageObserver observer;

    /** Views nobody observes (unit tests). */
    public BatchViews() {
        this(StageObserver.NONE);
    }

    @Inject
    public BatchViews(StageObserver observer) {
        this.observer = observer;
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
        batch(r.batchId(), r.submittedAt()).known(r.receiptId(), r.fileName(), Stage.QUEUED, "waiting for the extractor",
                "ingest", r.submittedAt());
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
    }

    public void extracted(ReceiptExtracted e) {
        if (e.batchId() == null || e.receiptId() == null) {
            return;
        }
        batch(e.batchId(), e.extractedAt()).extracted(e);
    }

    private BatchView batch(String batchId, Instant at) {
        return batches.computeIfAbsent(batchId, id -> new BatchView(id, at == null ? Instant.now() : at, observer));
    }
}
