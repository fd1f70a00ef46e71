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

    private final AtomicInteger up = new AtomicInteger(1);
    private final Counter rows;
    private final Counter duplicates;
    private final Counter retries;
    private final Counter failures;
    private volatile String problem;
    private volatile String state = "not configured";

    public SheetsStatus(MeterRegistry registry) {
        registry.gauge("ranger.sheets.up", up);
        rows = registry.counter("ranger.sheets.rows.written");
        duplicates = registry.counter("ranger.sheets.duplicates");
        retries = registry.counter("ranger.sheets.retries");
        failures = registry.counter("ranger.sheets.failures");
    }

    public void configured() {
        if (problem == null) {
            state = "ok";
        }
    }

    public void ok() {
        problem = null;
        state = "ok";
        up.set(1);
    }

    public void backingOff(String why) {
        retries.increment();
        state = "backing off: " + why;
    }

    public void down(String sentence) {
        problem = sentence;
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
        return problem == null;
    }

    /** The sentence that says what is wrong and what to do, or null. */
    public String problem() {
        return problem;
    }

    public String state() {
        return state;
    }
}
