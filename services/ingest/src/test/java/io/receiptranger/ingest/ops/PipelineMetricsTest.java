package io.receiptranger.ingest.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.view.BatchViews;

/** The pipeline metrics as the views feed them: event times, forward moves only, no history. */
class PipelineMetricsTest {

    private static final Instant START = Instant.parse("2026-12-01T09:00:00Z");
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MovableClock clock = new MovableClock(START);
    /** A replica that started at START. */
    private final PipelineMetrics metrics = new PipelineMetrics(registry, clock);
    private final BatchViews views = new BatchViews(metrics);

    @Test
    void a_receipt_written_once_counts_once_with_its_upload_to_terminal_time_even_when_the_status_comes_again() {
        // Given a receipt uploaded at START that moves through the stages
        status("r-1", Stage.RECEIVED, 0);
        status("r-1", Stage.QUEUED, 1);
        status("r-1", Stage.EXTRACTING, 2);
        status("r-1", Stage.EXTRACTED, 6);
        status("r-1", Stage.WRITING, 7);
        // When WRITTEN arrives, then again (a redelivery re-publishes it), then a late EXTRACTING
        status("r-1", Stage.WRITTEN, 9);
        status("r-1", Stage.WRITTEN, 30);
        status("r-1", Stage.EXTRACTING, 31);

        // Then it counts once, 9 s from upload, and 4 s in EXTRACTING
        assertThat(registry.get("ranger.receipts.terminal").tag("stage", "WRITTEN").counter().count()).isEqualTo(1.0);
        assertThat(registry.get("ranger.receipt.duration").tag("stage", "WRITTEN").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(9.0);
        assertThat(registry.get("ranger.receipt.stage").tag("stage", "EXTRACTING").timer().totalTime(java.util.concurrent.TimeUnit.SECONDS))
                .isEqualTo(4.0);
        assertThat(registry.get("ranger.receipts.terminal").tag("stage", "FAILED").counter().count()).isZero();
    }

    @Test
    void what_happened_before_the_process_started_is_not_counted_as_now() {
        // Given a replica started at START whose views replay an older receipt from the topics
        status("r-old", Stage.RECEIVED, -600);
        status("r-old", Stage.FAILED, -590);

        // Then nothing is counted
        assertThat(registry.get("ranger.receipts.terminal").tag("stage", "FAILED").counter().count()).isZero();
    }

    @Test
    void the_last_hour_counts_receipts_per_stage_by_event_time() {
        clock.set(START.plusSeconds(120));
        metrics.moved("a", null, null, Stage.RECEIVED, START.plusSeconds(10), START.plusSeconds(10), "ingest", "");
        metrics.moved("a", Stage.RECEIVED, START.plusSeconds(10), Stage.WRITTEN, START.plusSeconds(70), START.plusSeconds(10), "ingest", "");
        metrics.moved("b", null, null, Stage.RECEIVED, START.plusSeconds(80), START.plusSeconds(80), "ingest", "");

        assertThat(metrics.lastHour()).containsEntry(Stage.RECEIVED, 2L).containsEntry(Stage.WRITTEN, 1L)
                .containsEntry(Stage.FAILED, 0L);
        // An hour later they have left the window
        clock.set(START.plus(Duration.ofMinutes(62)));
        assertThat(metrics.lastHour()).containsEntry(Stage.RECEIVED, 0L).containsEntry(Stage.WRITTEN, 0L);
    }

    private void status(String receiptId, Stage stage, int seconds) {
        views.status(new ReceiptStatus(receiptId, "b-1", stage, "", "test", START.plus(Duration.ofSeconds(seconds))));
    }

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant instant) {
            now = instant;
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
