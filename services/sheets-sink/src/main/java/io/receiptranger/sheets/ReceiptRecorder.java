package io.receiptranger.sheets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.sheets.OwnerSpreadsheets;
import io.receiptranger.sheets.sheets.SpreadsheetTargets;

/**
 * Decides what happens to each extracted receipt of a batch: {@code EXTRACTED} → a row in the
 * owner's spreadsheet ({@link SpreadsheetRecorder}) or the ledger alone when the owner has none
 * ({@link LedgerOnlyRecorder}), {@code EXCLUDED} and {@code NOT_A_RECEIPT} → the ledger only (so the
 * same photo is known by its sha256), {@code FAILED} → the ledger only (listed for re-reading; a new
 * upload retries it). A receipt already in the ledger re-publishes the terminal stage it reached, never
 * becomes a duplicate of itself — unless this is a new reading of it ({@link Rereads}).
 */
@ApplicationScoped
public class ReceiptRecorder {

    static final String REVIEW = "waiting for your review: accept it to write it to the sheet";

    private final Ledger ledger;
    private final SpreadsheetTargets targets;
    private final Bookkeeping book;
    private final SpreadsheetRecorder sheets;
    private final LedgerOnlyRecorder ledgerOnly;
    private final Handover handover;
    private final Rereads rereads;
    private final Predicate<String> reviewing;

    @Inject
    ReceiptRecorder(Ledger ledger, SpreadsheetTargets targets, Bookkeeping book, SpreadsheetRecorder sheets, LedgerOnlyRecorder ledgerOnly,
            Handover handover, Rereads rereads, OwnerSpreadsheets settings) {
        this(ledger, targets, book, sheets, ledgerOnly, handover, rereads, settings::reviews);
    }

    /** @param reviewing whether an owner turned "review before writing" on (their setting on owner-settings) */
    ReceiptRecorder(Ledger ledger, SpreadsheetTargets targets, Bookkeeping book, SpreadsheetRecorder sheets, LedgerOnlyRecorder ledgerOnly,
            Handover handover, Rereads rereads, Predicate<String> reviewing) {
        this.handover = handover;
        this.rereads = rereads;
        this.reviewing = reviewing;
        this.ledger = ledger;
        this.targets = targets;
        this.book = book;
        this.sheets = sheets;
        this.ledgerOnly = ledgerOnly;
    }

    /** Handles one batch as its only writer (one replica, tests). */
    public void record(List<ReceiptExtracted> batch) {
        record(batch, Fence.unfenced(handover.instance()));
    }

    /**
     * Handles one batch from Kafka; returns once every receipt reached its outcome.
     *
     * @throws WriterFencedException when the batch's partition moved to another replica before its rows were sent
     */
    public void record(List<ReceiptExtracted> batch, Fence fence) {
        book.awaitLedgerCaughtUp();
        handover.awaitWritesElsewhere(batch.stream().map(ReceiptExtracted::receiptId).distinct().toList());
        List<ReceiptExtracted> ordered = new ArrayList<>(batch);
        // Rows go in the order their receipts were extracted.
        ordered.sort(Comparator.comparing((ReceiptExtracted e) -> e.extractedAt() == null ? "" : e.extractedAt()));
        Map<String, ReceiptExtracted> unique = new LinkedHashMap<>();
        List<String> repeatedInBatch = new ArrayList<>();
        for (ReceiptExtracted e : ordered) {
            if (unique.putIfAbsent(e.receiptId(), e) != null) {
                repeatedInBatch.add(e.receiptId());
            }
        }
        List<LedgerEntry> endedUpstream = new ArrayList<>();
        List<LedgerEntry> failed = new ArrayList<>();
        List<LedgerEntry> held = new ArrayList<>();
        Map<Optional<String>, List<LedgerEntry>> drafts = new LinkedHashMap<>();
        List<LedgerEntry> offered = new ArrayList<>();
        for (ReceiptExtracted e : unique.values()) {
            LedgerEntry base = draft(e);
            Optional<LedgerEntry> known = ledger.get(e.receiptId());
            if (known.isPresent() && (known.get().terminal() || e.reread())) {
                Rereads.Decision decision = rereads.decide(known.get(), e, base);
                if (decision instanceof Rereads.Decision.Redelivered r) {
                    // The extractor's FAILED delivered again: that stage is the extractor's to publish, not ours.
                    if (!ReceiptExtracted.FAILED.equals(e.outcome()) || !LedgerEntry.FAILED.equals(r.entry().state())) {
                        republish(r.entry());
                    }
                    continue;
                }
                if (decision instanceof Rereads.Decision.Offered o) {
                    rereads.offer(o.entry(), e, base, book);
                    offered.add(o.entry());
                    continue;
                }
                base = ((Rereads.Decision.Reopened) decision).base();
            } else if (known.isPresent()) {
                // PENDING (a write a crash interrupted): finished below, its history kept.
                base = known.get().historyInto(base);
            }
            switch (e.outcome()) {
                case ReceiptExtracted.EXCLUDED -> endedUpstream.add(base.with(LedgerEntry.EXCLUDED, null, base.tab(), null,
                        e.reason() == null || e.reason().isBlank() ? "excluded" : e.reason()));
                case ReceiptExtracted.EXTRACTED -> {
                    if (e.receipt() == null) {
                        failed.add(base.with(LedgerEntry.FAILED, null, null, null, "the extraction carries no receipt fields"));
                    } else if (e.held() || reviewing.test(e.ownerOrDefault())) {
                        // Review before writing (the owner's setting, or the submission asked): no row until
                        // the owner accepts it (Corrector, ACCEPT).
                        held.add(base.with(LedgerEntry.REVIEW, null, base.tab(), null, REVIEW));
                    } else {
                        drafts.computeIfAbsent(targets.forOwner(e.ownerOrDefault()), k -> new ArrayList<>()).add(base);
                    }
                }
                // Remembered so the same photo sent again is known as processed; the extractor published the stage.
                case ReceiptExtracted.NOT_A_RECEIPT -> endedUpstream.add(base.with(LedgerEntry.NOT_A_RECEIPT, null, null, null,
                        e.reason() == null || e.reason().isBlank() ? "not a receipt" : e.reason()));
                // FAILED: remembered so the owner sees it in the history and can have it read again; the extractor
                // published the stage. It does not count as processed (lookup, known photos): a new upload retries it.
                default -> endedUpstream.add(base.with(LedgerEntry.FAILED, null, null, null,
                        e.reason() == null || e.reason().isBlank() ? "could not be read" : e.reason()));
            }
        }
        offered.forEach(this::republish);
        book.record(endedUpstream);
        book.settle(failed);
        book.settle(held);
        for (Map.Entry<Optional<String>, List<LedgerEntry>> group : drafts.entrySet()) {
            if (group.getKey().isEmpty()) {
                ledgerOnly.write(group.getValue(), fence);
            } else {
                sheets.write(group.getKey().get(), group.getValue(), fence);
            }
        }
        for (String id : repeatedInBatch) {
            ledger.get(id).filter(LedgerEntry::terminal).ifPresent(this::republish);
        }
    }

    /**
     * Writes one receipt the owner accepted after review (its draft carries the review in its
     * history) the way every extraction is written: statuses, never twice, the same outcomes.
     */
    public void writeAccepted(LedgerEntry draft) {
        // Not fenced by an extractions partition (corrections have their own topic): safe with one
        // writer per spreadsheet, as deployed; the per-spreadsheet lock keeps this process's writes apart.
        Fence fence = Fence.unfenced(handover.instance());
        Optional<String> spreadsheet = targets.forOwner(draft.owner());
        if (spreadsheet.isEmpty()) {
            ledgerOnly.write(List.of(draft), fence);
        } else {
            sheets.write(spreadsheet.get(), List.of(draft), fence);
        }
    }

    /**
     * Last resort for a batch that cannot be handled (a bug, not an outage): each receipt not yet
     * terminal is recorded and published {@code FAILED}, once, best effort, so none is left without an end.
     */
    public void giveUp(List<ReceiptExtracted> batch, String sentence) {
        try {
            List<LedgerEntry> failed = batch.stream()
                    .filter(e -> ReceiptExtracted.EXTRACTED.equals(e.outcome()))
                    .filter(e -> ledger.get(e.receiptId()).filter(LedgerEntry::terminal).isEmpty())
                    .map(e -> draft(e).with(LedgerEntry.FAILED, null, null, null, sentence)).toList();
            book.recordOnce(failed);
            book.publishOnce(failed.stream().map(LedgerEntry::status).toList());
        } catch (RuntimeException e) {
            Log.error("Could not record the failure of a batch", e);
        }
    }

    /**
     * The stage a receipt reached, again: a redelivery is never a duplicate of itself. Excluded and
     * non-receipts' stage is the extractor's; a deleted receipt stays quiet.
     */
    private void republish(LedgerEntry known) {
        if (known.republishes()) {
            book.publish(List.of(known.status()));
        }
    }

    /** The ledger entry an extraction would become, without a state yet. */
    static LedgerEntry draft(ReceiptExtracted e) {
        ReceiptExtracted.Receipt r = e.receipt();
        String amount = r == null ? null : Normalize.money(r.total()).map(java.math.BigDecimal::toPlainString).orElse(null);
        String date = r == null ? null : Normalize.date(r.date()).map(Object::toString).orElse(null);
        return new LedgerEntry(e.receiptId(), e.batchId(), e.ownerOrDefault(), null, e.fileName(), e.sha256(), amount,
                r == null ? null : r.currency(), date, r == null ? null : r.vendor(),
                r == null || r.categories() == null ? List.of() : List.copyOf(r.categories()),
                null, Normalize.tab(date), null, null, e.extractedAt(), Instant.now(), null);
    }
}
