package io.receiptranger.sheets.sheets;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

/**
 * Every call to the Google Sheets API, as {@code ranger_sheets_requests_total{operation,outcome}}
 * and {@code ranger_sheets_request_seconds}: operation {@code tabs|read|write}, outcome {@code ok},
 * {@code rate_limited} (429), {@code server_error} (5xx), {@code client_error} (other 4xx),
 * {@code timeout}, {@code unreachable}. {@link SheetsClient} is built outside CDI, so the registry
 * is handed over by {@link SheetsStatus} (a bean), which also registers every series at startup:
 * a dashboard then shows 0 rather than "no data" before the first 429.
 */
final class SheetsMetrics {

    static final String[] OPERATIONS = {"tabs", "read", "write"};
    static final String[] OUTCOMES = {"ok", "rate_limited", "server_error", "client_error", "timeout", "unreachable"};

    private static volatile MeterRegistry registry = Metrics.globalRegistry;

    private SheetsMetrics() {
    }

    static void bind(MeterRegistry meters) {
        registry = meters;
        for (String operation : OPERATIONS) {
            for (String outcome : OUTCOMES) {
                counter(operation, outcome);
            }
        }
    }

    static String outcomeOf(int status) {
        if (status == 429) {
            return "rate_limited";
        }
        return status >= 500 ? "server_error" : "client_error";
    }

    private static Counter counter(String operation, String outcome) {
        return Counter.builder("ranger.sheets.requests").description("Google Sheets API calls, by operation and outcome")
                .tags("operation", operation, "outcome", outcome).register(registry);
    }

    static void request(String operation, String outcome, long startedNanos) {
        counter(operation, outcome).increment();
        Timer.builder("ranger.sheets.request").description("Google Sheets API call latency")
                .tags("operation", operation).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }
}
