package io.receiptranger.sheets.sheets;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What the sink knows about Google Sheets right now, for the {@code dependencies} health group and
 * the metrics: {@code ranger_sheets_up} (1 up or not configured, 0 down), rows written, duplicates,
 * retries. Backing off on 429/5xx keeps Sheets "up" (it is slow, not broken); only a permission or
 * credentials problem marks it down, with the sentence that says what to do.
 */
@ApplicationScoped
public class SheetsStatus {

    /** The key under which a credentials problem (every spreadsheet) is kept. */
    public static final String ANY = "*";

    private final AtomicInteger up = new AtomicInteger(1);
    private final Counter rows;
    private final Counter duplicates;
    private final Counter retries;
    private final Counter failures;
    /** What is wrong, per spreadsheet ("*" for the credentials), in the order it was found. */
    private final java.util.Map<String, String> problems = new java.util.concurrent.ConcurrentSkipListMap<>();
    private volatile String state = "not configured";

    public SheetsStatus(MeterRegistry registry) {
        registry.gauge("ranger.sheets.up", up);
        rows = registry.counter("ranger.sheets.rows.written");
        duplicates = registry.counter("ranger.sheets.duplicates");
        retries = registry.counter("ranger.sheets.retries");
        failures = registry.counter("ranger.sheets.failures");
        SheetsMetrics.bind(registry);
    }

    public void configured() {
        if (problems.isEmpty()) {
            state = "ok";
        }
    }

    /** A call on this spreadsheet worked: whatever was wrong with it (or the credentials) is fixed. */
    public void ok(String spreadsheetId) {
        problems.remove(spreadsheetId);
        problems.remove(ANY);
        if (problems.isEmpty()) {
            state = "ok";
            up.set(1);
        }
    }

    public void backingOff(String why) {
        retries.increment();
        state = "backing off: " + why;
    }

    /** Something only the user can fix: an unshared or unknown spreadsheet ({@code spreadsheetId}), or the key ({@link #ANY}). */
    public void down(String spreadsheetId, String sentence) {
        problems.put(spreadsheetId == null ? ANY : spreadsheetId, sentence);
        state = "down";
        up.set(0);
        failures.increment();
    }

    public void written(int count) {
        rows.increment(count);
    }

    public void duplicate() {
        duplicates.increment();
    }

    public boolean isUp() {
        return problems.isEmpty();
    }

    /** The sentences that say what is wrong and what to do (one per spreadsheet), or null. */
    public String problem() {
        return problems.isEmpty() ? null : String.join(" ", problems.values());
    }

    public String state() {
        return state;
    }
}
