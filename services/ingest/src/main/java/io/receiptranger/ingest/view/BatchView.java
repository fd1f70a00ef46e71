package io.receiptranger.ingest.view;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.Stage;

/**
 * The state of one batch, built from the three topics. Statuses may arrive twice, late, or before
 * the receipt itself: a receipt's stage only moves forward and never leaves a terminal stage.
 * Every change happens under this object's lock, and listeners hear about it under the same lock,
 * so a late joiner's snapshot and the changes after it never overlap or leave a gap.
 */
final class BatchView {

    private final String batchId;
    private final Instant createdAt;
    private final Map<String, Receipt> receipts = new LinkedHashMap<>();
    private final List<BatchListener> listeners = new CopyOnWriteArrayList<>();
    private final StageObserver observer;
    private boolean completeAnnounced;
    /** The latest event time seen: how long a complete batch has been at rest. */
    private Instant lastActivity;
    /** Whose batch this is: set by the first ReceiptSubmitted (or extraction) that names it, never changed. */
    private volatile String owner;

    BatchView(String batchId, Instant createdAt) {
        this(batchId, createdAt, StageObserver.NONE);
    }

    BatchView(String batchId, Instant createdAt, StageObserver observer) {
        this.batchId = batchId;
        this.createdAt = createdAt;
        this.observer = observer;
        this.lastActivity = createdAt;
    }

    String batchId() {
        return batchId;
    }

    synchronized Instant lastActivity() {
        return lastActivity;
    }

    synchronized boolean complete() {
        return isComplete();
    }

    private void touch(Instant at) {
        if (at != null && at.isAfter(lastActivity)) {
            lastActivity = at;
        }
    }

    /** Claims the batch for {@code candidate} if nobody has yet; whether it is {@code candidate}'s. */
    synchronized boolean own(String candidate) {
        if (owner == null) {
            owner = candidate;
        }
        return owner.equals(candidate);
    }

    String owner() {
        return owner;
    }

    /** A receipt known to belong here, at least at {@code stage}. */
    synchronized void known(String receiptId, String fileName, Stage stage, String detail, String service, Instant at) {
        touch(at);
        Receipt r = receipts.computeIfAbsent(receiptId, Receipt::new);
        boolean changed = false;
        if (r.fileName == null && fileName != null) {
            r.fileName = fileName;
            changed = true;
        }
        changed |= advance(r, stage, detail, service, at);
        if (changed) {
            announce(r);
        }
    }

    /**
     * An operator replayed the receipt's dead letter: a FAILED receipt goes back to {@code stage}
     * (QUEUED or EXTRACTED) and moves forward again from there. Any other receipt is left as it
     * is: one that already reached WRITTEN, DUPLICATE, … stays there, so a second replay changes nothing.
     */
    synchronized void reopened(String receiptId, Stage stage, String detail, String service, Instant at) {
        reopened(receiptId, stage, detail, service, at, java.util.Set.of(Stage.FAILED));
    }

    /**
     * The owner asked for a receipt that was not written to be read again: from FAILED, EXCLUDED,
     * NOT_A_RECEIPT or DUPLICATE it goes back to QUEUED and moves forward to one new terminal stage.
     * A written receipt is not reopened (its re-read is offered beside it in the history).
     */
    synchronized void rereading(String receiptId, Stage stage, String detail, String service, Instant at) {
        reopened(receiptId, stage, detail, service, at, REREADABLE);
    }

    static final java.util.Set<Stage> REREADABLE = java.util.EnumSet.of(Stage.FAILED, Stage.EXCLUDED, Stage.NOT_A_RECEIPT, Stage.DUPLICATE);

    private void reopened(String receiptId, Stage stage, String detail, String service, Instant at, java.util.Set<Stage> reopenable) {
        touch(at);
        Receipt r = receipts.get(receiptId);
        if (r == null || !reopenable.contains(r.stage) || stage == null || stage.terminal()) {
            return;
        }
        Stage from = r.stage;
        Instant fromAt = r.at;
        r.stage = stage;
        r.detail = detail;
        r.service = service;
        r.at = at;
        // The extraction stays: the replayed one replaces it when it arrives (it may already have,
        // the topics being read side by side).
        observer.moved(r.receiptId, from, fromAt, stage, at, r.firstAt, service, detail);
        announce(r);
    }

    synchronized void extracted(ReceiptExtracted e) {
        touch(e.extractedAt());
        Receipt existing = receipts.get(e.receiptId());
        if (e.reread() && existing != null && existing.stage != null && existing.stage.terminal()) {
            // A re-read of a written receipt: its values are offered in the history, the batch shows what was written.
            return;
        }
        Receipt r = receipts.computeIfAbsent(e.receiptId(), Receipt::new);
        if (r.fileName == null) {
            r.fileName = e.fileName();
        }
        String unusable = unusableAmount(e.receipt());
        r.outcome = unusable == null ? e.outcome() : "FAILED";
        r.reason = unusable == null ? e.reason() : unusable;
        r.fields = unusable == null ? e.receipt() : null;
        // The extraction is a status too: the stage it implies, in case its status record is late.
        Stage implied = switch (r.outcome == null ? "" : r.outcome) {
            case "EXTRACTED" -> Stage.EXTRACTED;
            case "NOT_A_RECEIPT" -> Stage.NOT_A_RECEIPT;
            case "EXCLUDED" -> Stage.EXCLUDED;
            case "FAILED" -> Stage.FAILED;
            default -> null;
        };
        if (implied != null) {
            advance(r, implied, r.reason == null || r.reason.isEmpty() ? "extracted" : r.reason, "extractor",
                    e.extractedAt());
        }
        announce(r);
    }

    /** Why the extraction's amounts cannot be shown (an exponent, absurd digits), or null when they can. */
    static String unusableAmount(ReceiptExtracted.Fields f) {
        if (f == null) {
            return null;
        }
        String[][] amounts = { { "total", f.total() }, { "subtotal", f.subtotal() }, { "tax", f.tax() }, { "tip", f.tip() } };
        for (String[] a : amounts) {
            if (a[1] != null && !a[1].isBlank() && !Exports.plainAmount(a[1].trim())) {
                String shown = a[1].length() > 24 ? a[1].substring(0, 24) + "…" : a[1];
                return "the extraction's " + a[0] + " \"" + shown + "\" is not a plain decimal amount such as 25.50";
            }
        }
        return null;
    }

    synchronized BatchSnapshot snapshot() {
        List<ReceiptView> views = receipts.values().stream().map(Receipt::view).toList();
        return new BatchSnapshot(batchId, createdAt, isComplete(), views, totals(views));
    }

    /** One receipt as it stands now; null when this batch has not heard of it. */
    synchronized ReceiptView receipt(String receiptId) {
        Receipt r = receipts.get(receiptId);
        return r == null ? null : r.view();
    }

    /** Adds a listener: it gets the snapshot now (and {@code complete} if it is), then every change. */
    synchronized Runnable subscribe(BatchListener listener) {
        BatchSnapshot now = snapshot();
        listener.snapshot(now);
        if (now.complete()) {
            listener.complete(now);
        }
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * All receipts terminal, and those the sink handled also have their extraction: the sink only
     * writes what was extracted, so its record exists and "complete" then carries every field.
     */
    int listeners() {
        return listeners.size();
    }

    private boolean isComplete() {
        return !receipts.isEmpty() && receipts.values().stream().allMatch(r -> r.stage != null && r.stage.terminal()
                && (r.outcome != null || (r.stage != Stage.WRITTEN && r.stage != Stage.DUPLICATE)));
    }

    private boolean advance(Receipt r, Stage next, String detail, String service, Instant at) {
        if (at != null && (r.firstAt == null || at.isBefore(r.firstAt))) {
            r.firstAt = at;
        }
        Stage from = r.stage;
        Instant fromAt = r.at;
        if (!r.advance(next, detail, service, at)) {
            return false;
        }
        observer.moved(r.receiptId, from, fromAt, next, at, r.firstAt, service, detail);
        return true;
    }

    private void announce(Receipt r) {
        ReceiptView view = r.view();
        for (BatchListener l : listeners) {
            l.changed(batchId, view);
        }
        boolean complete = isComplete();
        if (complete && !completeAnnounced) {
            completeAnnounced = true;
            BatchSnapshot now = snapshot();
            for (BatchListener l : listeners) {
                l.complete(now);
            }
        } else if (!complete) {
            completeAnnounced = false;
        }
    }

    static BatchSnapshot.Totals totals(List<ReceiptView> views) {
        Map<String, BigDecimal> sums = new TreeMap<>();
        Map<String, Integer> counts = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        int count = 0;
        for (ReceiptView v : views) {
            BigDecimal amount = Exports.amount(v);
            if (amount == null) {
                continue;
            }
            String category = v.receipt().categories() == null || v.receipt().categories().isEmpty()
                    ? "Uncategorized" : v.receipt().categories().get(0);
            sums.merge(category, amount, BigDecimal::add);
            counts.merge(category, 1, Integer::sum);
            total = total.add(amount);
            count++;
        }
        List<BatchSnapshot.CategoryTotal> byCategory = new ArrayList<>();
        sums.forEach((c, s) -> byCategory.add(new BatchSnapshot.CategoryTotal(c, counts.get(c), s.setScale(2).toPlainString())));
        return new BatchSnapshot.Totals(count, total.setScale(2).toPlainString(), byCategory);
    }

    private static final class Receipt {
        final String receiptId;
        String fileName;
        Stage stage;
        String detail;
        String service;
        Instant at;
        /** The earliest event time seen for this receipt: its upload (or submission by a producer). */
        Instant firstAt;
        String outcome;
        String reason;
        ReceiptExtracted.Fields fields;

        Receipt(String receiptId) {
            this.receiptId = receiptId;
        }

        boolean advance(Stage next, String detail, String service, Instant at) {
            if (next == null || (stage != null && !stage.mayMoveTo(next))) {
                return false;
            }
            this.stage = next;
            this.detail = detail;
            this.service = service;
            this.at = at;
            return true;
        }

        ReceiptView view() {
            return new ReceiptView(receiptId, fileName, stage, detail, service, at, outcome, reason, fields);
        }
    }
}
