package io.receiptranger.sheets.sheets;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.ledger.Ledger;

/**
 * The sink's connection to Google Sheets: builds the client once at startup, says once whether
 * Sheets is on, and opens each configured spreadsheet (metadata only) so that an unshared or
 * mistyped one shows in the {@code dependencies} health group before the first receipt.
 */
@ApplicationScoped
public class SheetsConnection {

    private final SpreadsheetTargets targets;
    private final SheetsStatus sheetsStatus;
    private final TabCache tabCache;
    private final Supplier<SheetWriter> writerFactory;
    private volatile SheetWriter writer;
    private volatile String configurationProblem;

    @Inject
    public SheetsConnection(SpreadsheetTargets targets, SheetsStatus sheetsStatus, Ledger ledger, SinkConfig config) {
        this(targets, sheetsStatus, new TabCache(config.sheets().tabCacheTtl()), ledger, config.sheets());
    }

    private SheetsConnection(SpreadsheetTargets targets, SheetsStatus sheetsStatus, TabCache tabCache, Ledger ledger, SinkConfig.Sheets sheets) {
        this(targets, sheetsStatus, tabCache, () -> new SheetWriter(SheetsClient.create(sheets), ledger, tabCache));
    }

    /** For tests: a writer factory of your own (sharing {@code tabCache}). */
    public SheetsConnection(SpreadsheetTargets targets, SheetsStatus sheetsStatus, TabCache tabCache, Supplier<SheetWriter> writerFactory) {
        this.targets = targets;
        this.sheetsStatus = sheetsStatus;
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

    /** Opens each configured spreadsheet once (metadata only). */
    public void probe() {
        Set<String> ids = new LinkedHashSet<>(targets.owners().values());
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

    /** The writer, or empty when Sheets is configured but unusable (see {@link #problem()}). */
    public Optional<SheetWriter> writer() {
        return Optional.ofNullable(writer);
    }

    /**
     * How long the next batch of extractions should gather before it is written: zero without Google
     * Sheets, otherwise what the service account's quota suggests ({@link QuotaPacer#gather}).
     */
    public java.time.Duration gather() {
        SheetWriter w = writer;
        return w == null ? java.time.Duration.ZERO : java.time.Duration.ofNanos(w.client().gather());
    }

    /** Why there is no writer, as a sentence for the receipts that cannot be written. */
    public String problem() {
        return configurationProblem == null ? "Google Sheets is not usable" : configurationProblem;
    }

    public TabCache tabCache() {
        return tabCache;
    }
}
