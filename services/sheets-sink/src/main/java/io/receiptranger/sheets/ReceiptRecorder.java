package io.receiptranger.sheets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.ledger.LedgerUnavailableException;
import io.receiptranger.sheets.messaging.StatusPublisher;
import io.receiptranger.sheets.sheets.Backoff;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsClient;
import io.receiptranger.sheets.sheets.SheetsException;
import io.receiptranger.sheets.sheets.SheetsStatus;
import io.receiptranger.sheets.sheets.SpreadsheetTargets;
import io.receiptranger.sheets.sheets.TabCache;

/**
 * Decides what happens to each extracted receipt and makes it so: {@code EXTRACTED} → a row in the
 * owner's spreadsheet (or the ledger alone when Sheets is not configured), {@code EXCLUDED} → the
 * ledger only, the rest ignored. A receipt already in the ledger re-publishes the terminal stage it
 * reached. Transient trouble (429, 5xx, Kafka) is waited out with back-off, never failed.
 */
@ApplicationScoped
public class ReceiptRecorder {

    static final String LEDGER_ONLY = "recorded in the local ledger (Google Sheets not configured)";

    private final Ledger ledger;
    private final StatusPublisher statuses;
    private final SpreadsheetTargets targets;
    private final SheetsStatus sheetsStatus;
    private final Duration backoffInitial;
    private final Duration backoffMax;
    private final Supplier<SheetWriter> writerFactory;
    private final TabCache tabCache;
    private volatile SheetWriter writer;
    private volatile String configurationProblem;

    @Inject
    public ReceiptRecorder(Ledger ledger, StatusPublisher statuses, SpreadsheetTargets targets, SheetsStatus sheetsStatus, SinkConfig config) {
        this(ledger, statuses, targets, sheetsStatus, config.sheets().backoff().initial(), config.sheets().backoff().max(),
                new TabCache(config.sheets().tabCacheTtl()), config.sheets());
    }

    private ReceiptRecorder(Ledger ledger, StatusPublisher statuses, SpreadsheetTargets targets, SheetsStatus sheetsStatus,
            Duration backoffInitial, Duration backoffMax, TabCache tabCache, SinkConfig.Sheets sheets) {
        this(ledger, statuses, targets, sheetsStatus, backoffInitial, backoffMax, tabCache,
                () -> new SheetWriter(SheetsClient.create(sheets), ledger, tabCache));
    }

    /** For tests: a writer factory of your own. */
    public ReceiptRecorder(Ledger ledger, StatusPublisher statuses, SpreadsheetTargets targets, SheetsStatus sheetsStatus,
            Duration backoffInitial, Duration backoffMax, TabCache tabCache, Supplier<SheetWriter> writerFactory) {
        this.ledger = ledger;
        this.statuses = statuses;
        this.targets = targets;
        this.sheetsStatus = sheetsStatus;
        this.backoffInitial = backoffInitial;
        this.backoffMax = backoffMax;
        this.tabCache = tabCache;
        this.writerFactory = writerFactory;
    }

    void onStart(@Observes StartupEvent event) {
        start();
        if (writer != null) {
            Thread probe = new Thread(this::probe, "sheets-probe");
            probe.setDaemon(true);
            probe.start();
        }
    }

    /**
     * Opens each configured spreadsheet once (metadata only), so an unshared or mistyped one shows in
     * the {@code dependencies} health group and the log before the first receipt arrives.
     */
    public void probe() {
        java.util.Set<String> ids = new java.util.LinkedHashSet<>(targets.owners().values());
        targets.fallback().ifPresent(ids::add);
        for (String id : ids) {
            try {
                tabCache.get(id, () -> writer.client().tabs(id));
            } catch (SheetsException e) {
                if (e.kind() == SheetsException.Kind.PERMISSION || e.kind() == SheetsException.Kind.CONFIGURATION) {
                    sheetsStatus.down(e.kind() == SheetsException.Kind.PERMISSION ? id : SheetsStatus.ANY, e.getMessage());
                    Log.error(e.getMessage());
                } else {
                    Log.warnf("Could not open spreadsheet %s yet: %s", id, e.getMessage());
                }
            }
        }
    }

    /** Builds the Google client once, and says once whether Sheets is on. */
    public void start() {
        if (!targets.any()) {
            Log.info("Google Sheets not configured (no GOOGLE_SHEETS_SPREADSHEET_ID or RANGER_SHEETS_OWNERS): "
                    + "receipts are recorded in the local ledger only");
            return;
        }
        try {
            writer = writerFactory.get();
            sheetsStatus.configured();
            Log.infof("Writing to Google Sheets as %s (default spreadsheet: %s, per-owner: %s)", writer.client().serviceAccountEmail(),
                    targets.fallback().orElse("none"), targets.owners().keySet());
        } catch (SheetsException e) {
            configurationProblem = e.getMessage();
            sheetsStatus.down(SheetsStatus.ANY, e.getMessage());
            Log.errorf("Google Sheets is configured but unusable: %s", e.getMessage());
        }
    }

    /** Handles one batch from Kafka; returns once every receipt reached its outcome. */
    public void record(List<ReceiptExtracted> batch) {
        retrying("the ledger is not readable", () -> {
            ledger.awaitCaughtUp();
            return null;
        });
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
        List<LedgerEntry> excluded = new ArrayList<>();
        List<LedgerEntry> failed = new ArrayList<>();
        Map<Optional<String>, List<LedgerEntry>> drafts = new LinkedHashMap<>();
        for (ReceiptExtracted e : unique.values()) {
            Optional<LedgerEntry> known = ledger.get(e.receiptId()).filter(LedgerEntry::terminal);
            if (known.isPresent()) {
                if (!LedgerEntry.EXCLUDED.equals(known.get().state())) {
                    publish(List.of(known.get().status()));
                }
                continue;
            }
            switch (e.outcome()) {
                case ReceiptExtracted.EXCLUDED -> excluded.add(draft(e).with(LedgerEntry.EXCLUDED, null, draft(e).tab(), null,
                        e.reason() == null || e.reason().isBlank() ? "excluded" : e.reason()));
                case ReceiptExtracted.EXTRACTED -> {
                    if (e.receipt() == null) {
                        failed.add(draft(e).with(LedgerEntry.FAILED, null, null, null, "the extraction carries no receipt fields"));
                    } else {
                        drafts.computeIfAbsent(targets.forOwner(e.ownerOrDefault()), k -> new ArrayList<>()).add(draft(e));
                    }
                }
                default -> {
                    // NOT_A_RECEIPT and FAILED: the extractor already published the terminal stage.
                }
            }
        }
        recordDurably(excluded);
        if (!failed.isEmpty()) {
            recordDurably(failed);
            publish(failed.stream().map(LedgerEntry::status).toList());
        }
        for (Map.Entry<Optional<String>, List<LedgerEntry>> group : drafts.entrySet()) {
            if (group.getKey().isEmpty()) {
                writeLedgerOnly(group.getValue());
            } else {
                writeSheet(group.getKey().get(), group.getValue());
            }
        }
        for (String id : repeatedInBatch) {
            ledger.get(id).filter(LedgerEntry::terminal).filter(e -> !LedgerEntry.EXCLUDED.equals(e.state()))
                    .ifPresent(e -> publish(List.of(e.status())));
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
            ledger.record(failed);
            statuses.publishAll(failed.stream().map(LedgerEntry::status).toList());
        } catch (RuntimeException e) {
            Log.error("Could not record the failure of a batch", e);
        }
    }

    /** Without a spreadsheet the ledger is the table: dedupe against what it holds for the owner. */
    private void writeLedgerOnly(List<LedgerEntry> drafts) {
        publish(drafts.stream().map(d -> ReceiptStatus.of(d.receiptId(), d.batchId(), ReceiptStatus.WRITING, "recording in the local ledger")).toList());
        Map<String, LedgerEntry> seen = new HashMap<>();
        for (LedgerEntry e : ledger.all()) {
            if (e.inTable() && e.spreadsheetId() == null) {
                seen.putIfAbsent(e.owner() + "|" + e.tab() + "|" + RowKey.of(e.date(), e.amount(), e.vendor()), e);
            }
        }
        List<LedgerEntry> results = new ArrayList<>();
        for (LedgerEntry draft : drafts) {
            RowKey key = RowKey.of(draft.date(), draft.amount(), draft.vendor());
            String k = draft.owner() + "|" + draft.tab() + "|" + key;
            LedgerEntry earlier = key.dedupable() ? seen.get(k) : null;
            if (earlier != null) {
                results.add(draft.with(LedgerEntry.DUPLICATE, null, draft.tab(), null,
                        "already in the local ledger for " + draft.tab() + " (receipt " + earlier.receiptId() + ")"));
            } else {
                LedgerEntry written = draft.with(LedgerEntry.WRITTEN, null, draft.tab(), null, LEDGER_ONLY);
                seen.put(k, written);
                results.add(written);
            }
        }
        recordDurably(results);
        publish(results.stream().map(LedgerEntry::status).toList());
    }

    private void writeSheet(String spreadsheetId, List<LedgerEntry> drafts) {
        publish(drafts.stream().map(d -> ReceiptStatus.of(d.receiptId(), d.batchId(), ReceiptStatus.WRITING,
                "writing to Google Sheets (" + d.tab() + ")")).toList());
        if (writer == null) {
            fail(drafts, configurationProblem == null ? "Google Sheets is not usable" : configurationProblem);
            return;
        }
        Backoff backoff = new Backoff(backoffInitial, backoffMax);
        int invalid = 0;
        while (true) {
            try {
                List<LedgerEntry> results = writer.write(spreadsheetId, drafts);
                ledger.record(results);
                sheetsStatus.ok(spreadsheetId);
                sheetsStatus.written((int) results.stream().filter(LedgerEntry::inTable).count());
                results.stream().filter(r -> LedgerEntry.DUPLICATE.equals(r.state())).forEach(r -> sheetsStatus.duplicate());
                publish(results.stream().map(LedgerEntry::status).toList());
                return;
            } catch (SheetsException e) {
                switch (e.kind()) {
                    case TRANSIENT -> {
                        // The failed call may have been a write that landed (new tabs included): re-read everything.
                        tabCache.invalidate(spreadsheetId);
                        Duration wait = backoff.next();
                        sheetsStatus.backingOff(e.getMessage());
                        Log.warnf("%s; retrying %d receipt(s) in %d ms (attempt %d)", e.getMessage(), drafts.size(), wait.toMillis(), backoff.attempts());
                        sleep(wait);
                    }
                    case INVALID -> {
                        tabCache.invalidate(spreadsheetId);
                        if (++invalid > 3) {
                            fail(drafts, e.getMessage());
                            return;
                        }
                        Log.warnf("%s; reloading the tab list and retrying", e.getMessage());
                        sleep(backoff.next());
                    }
                    default -> {
                        tabCache.invalidate(spreadsheetId);
                        sheetsStatus.down(e.kind() == SheetsException.Kind.PERMISSION ? spreadsheetId : SheetsStatus.ANY, e.getMessage());
                        Log.error(e.getMessage());
                        fail(drafts, e.getMessage());
                        return;
                    }
                }
            } catch (LedgerUnavailableException e) {
                Duration wait = backoff.next();
                Log.warnf("%s; retrying in %d ms", e.getMessage(), wait.toMillis());
                sleep(wait);
            }
        }
    }

    private void fail(List<LedgerEntry> drafts, String sentence) {
        List<LedgerEntry> failed = drafts.stream().map(d -> d.with(LedgerEntry.FAILED, null, d.tab(), null, sentence)).toList();
        recordDurably(failed);
        publish(failed.stream().map(LedgerEntry::status).toList());
    }

    private void recordDurably(List<LedgerEntry> entries) {
        if (!entries.isEmpty()) {
            retrying("the ledger could not be written", () -> {
                ledger.record(entries);
                return null;
            });
        }
    }

    private void publish(List<ReceiptStatus> list) {
        if (!list.isEmpty()) {
            // A retry may publish some statuses twice: allowed, a receipt's view never moves backwards.
            retrying("statuses could not be published", () -> {
                statuses.publishAll(list);
                return null;
            });
        }
    }

    private <T> T retrying(String what, Supplier<T> action) {
        Backoff backoff = new Backoff(backoffInitial, backoffMax);
        while (true) {
            try {
                return action.get();
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                Duration wait = backoff.next();
                Log.warnf("%s (%s); retrying in %d ms", what, e.getMessage(), wait.toMillis());
                sleep(wait);
            }
        }
    }

    static LedgerEntry draft(ReceiptExtracted e) {
        ReceiptExtracted.Receipt r = e.receipt();
        String amount = r == null ? null : Normalize.money(r.total()).map(java.math.BigDecimal::toPlainString).orElse(null);
        String date = r == null ? null : Normalize.date(r.date()).map(Object::toString).orElse(null);
        return new LedgerEntry(e.receiptId(), e.batchId(), e.ownerOrDefault(), null, e.fileName(), amount,
                r == null ? null : r.currency(), date, r == null ? null : r.vendor(),
                r == null || r.categories() == null ? List.of() : List.copyOf(r.categories()),
                null, Normalize.tab(date), null, null, e.extractedAt(), Instant.now());
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
