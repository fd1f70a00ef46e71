package io.receiptranger.ingest.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.Stage;

/** The views' memory is bounded: complete batches go after the retention, at most N are held, old ids say so. */
class BoundedViewsTest {

    static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    static ReceiptStatus status(String batch, String receipt, Stage stage, Instant at) {
        return new ReceiptStatus(receipt, batch, stage, stage.name().toLowerCase(), "test", at);
    }

    @Test
    void aCompleteBatchAtRestLongerThanTheRetentionIsLetGoAndThenTooOld() {
        BatchViews views = new BatchViews(Duration.ofHours(24), 100, 100, CLOCK);
        views.status(status("b-done", "r-1", Stage.FAILED, NOW.minus(Duration.ofHours(23))));
        views.status(status("b-busy", "r-2", Stage.EXTRACTING, NOW.minus(Duration.ofDays(3))));

        // Within the retention, and in flight however old: kept
        views.sweep();
        assertThat(views.find("b-done")).isPresent();

        // Past it
        BatchViews later = new BatchViews(Duration.ofHours(22), 100, 100, CLOCK);
        later.status(status("b-done", "r-1", Stage.FAILED, NOW.minus(Duration.ofHours(23))));
        later.status(status("b-busy", "r-2", Stage.EXTRACTING, NOW.minus(Duration.ofDays(3))));
        later.sweep();

        assertThat(later.find("b-done")).isEmpty();
        assertThat(later.tooOld("b-done")).isTrue();
        assertThat(later.find("b-busy")).isPresent();
        assertThat(later.tooOld("b-never")).isFalse();
    }

    @Test
    void replayingTheTopicsKeepsOnlyRecentOrUnfinishedBatches() {
        BatchViews views = new BatchViews(Duration.ofHours(24), 100, 1000, CLOCK);

        // a week of finished batches read back at start-up
        for (int i = 0; i < 500; i++) {
            views.status(status("b-" + i, "r-" + i, Stage.WRITTEN, NOW.minus(Duration.ofDays(7)).plusSeconds(i)));
            views.extracted(extraction("b-" + i, "r-" + i, "12.00", NOW.minus(Duration.ofDays(7)).plusSeconds(i)));
        }

        assertThat(views.size()).isZero();
        // a late record of one of them does not bring back a partial batch
        views.status(status("b-7", "r-7", Stage.WRITTEN, NOW));
        assertThat(views.find("b-7")).isEmpty();
        assertThat(views.tooOld("b-7")).isTrue();
    }

    @Test
    void atMostMaxBatchesAreHeldCompleteOnesLetGoFirst() {
        BatchViews views = new BatchViews(Duration.ofDays(30), 3, 10, CLOCK);
        views.status(status("b-1", "r-1", Stage.QUEUED, NOW.minusSeconds(40)));
        views.status(status("b-2", "r-2", Stage.FAILED, NOW.minusSeconds(30)));
        views.status(status("b-3", "r-3", Stage.QUEUED, NOW.minusSeconds(20)));

        views.status(status("b-4", "r-4", Stage.QUEUED, NOW.minusSeconds(10)));
        assertThat(views.size()).isEqualTo(3);
        assertThat(views.find("b-2")).isEmpty();   // complete, though younger than b-1
        assertThat(views.tooOld("b-2")).isTrue();

        views.status(status("b-5", "r-5", Stage.QUEUED, NOW));
        assertThat(views.find("b-1")).isEmpty();   // none complete: the longest at rest
        assertThat(views.find("b-5")).isPresent();
    }

    @Test
    void anExtractionWithAnExponentAmountShowsTheReceiptFailedWithTheReason() {
        BatchViews views = new BatchViews();
        views.status(status("b-x", "r-x", Stage.EXTRACTING, NOW));

        views.extracted(extraction("b-x", "r-x", "1e999999999", NOW));

        ReceiptView receipt = views.find("b-x").orElseThrow().receipts().get(0);
        assertThat(receipt.stage()).isEqualTo(Stage.FAILED);
        assertThat(receipt.detail()).isEqualTo(
                "the extraction's total \"1e999999999\" is not a plain decimal amount such as 25.50");
        assertThat(receipt.receipt()).isNull();
        assertThat(views.find("b-x").orElseThrow().totals().total()).isEqualTo("0.00");
    }

    static ReceiptExtracted extraction(String batch, String receipt, String total, Instant at) {
        return new ReceiptExtracted(receipt, batch, "default", "a.jpg", "x", "EXTRACTED", "",
                new ReceiptExtracted.Fields(total, null, null, null, "USD", "2026-01-20", "Shop", List.of("Other"),
                        List.of("Card"), null),
                null, "gpt-5-mini", "1", 1, at);
    }
}
