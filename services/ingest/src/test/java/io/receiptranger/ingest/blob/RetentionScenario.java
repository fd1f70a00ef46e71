package io.receiptranger.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.view.BatchViews;

/**
 * The retention rule run against any blob store, with fixed clocks days after the upload: a
 * receipt's images stay N days after it turned terminal (not after the upload), stay while it is
 * in flight, and images the view does not know go by their own age.
 */
final class RetentionScenario {

    private RetentionScenario() {
    }

    static void retentionCountsFromTheTerminalStage(BlobStore store) throws IOException {
        // Given four receipts uploaded now, and a view where
        Instant uploaded = Instant.now();
        for (String receipt : new String[] { "r-late", "r-inflight", "r-unknown", "r-early" }) {
            store.put("b-ret/" + receipt + "/original.jpg", bytes("original"), "image/jpeg");
            store.put("b-ret/" + receipt + "/image.jpg", bytes("normalised"), "image/jpeg");
        }
        BatchViews views = new BatchViews();
        // r-late turned terminal 10 days after its upload (WRITTEN), r-early after 1 day (NOT_A_RECEIPT),
        views.status(new ReceiptStatus("r-late", "b-ret", Stage.WRITTEN, "written", "sheets-sink", day(uploaded, 10)));
        views.status(new ReceiptStatus("r-early", "b-ret", Stage.NOT_A_RECEIPT, "no receipt", "extractor", day(uploaded, 1)));
        // r-inflight is still waiting for the extractor, and r-unknown expired from the topics (not in the view).
        views.status(new ReceiptStatus("r-inflight", "b-ret", Stage.QUEUED, "waiting", "ingest", uploaded));

        // When the sweep runs 29 days after the upload, nothing is old enough
        assertThat(sweepAt(store, views, day(uploaded, 29))).isZero();
        assertThat(keys(store)).hasSize(8);

        // When it runs 39 days after the upload: r-early (terminal 38 days) and r-unknown (39 days old) go;
        // r-late is 39 days old but terminal for only 29, so it stays
        assertThat(sweepAt(store, views, day(uploaded, 39))).isEqualTo(4);
        assertThat(keys(store)).containsExactlyInAnyOrder(
                "b-ret/r-late/original.jpg", "b-ret/r-late/image.jpg",
                "b-ret/r-inflight/original.jpg", "b-ret/r-inflight/image.jpg");

        // When it runs 41 days after the upload: r-late (terminal 31 days) goes, the receipt in flight stays
        assertThat(sweepAt(store, views, day(uploaded, 41))).isEqualTo(2);
        assertThat(keys(store)).containsExactlyInAnyOrder("b-ret/r-inflight/original.jpg", "b-ret/r-inflight/image.jpg");
    }

    private static int sweepAt(BlobStore store, BatchViews views, Instant now) throws IOException {
        return new BlobRetention(store, views, 30, Clock.fixed(now, ZoneOffset.UTC), () -> true).sweep();
    }

    private static java.util.List<String> keys(BlobStore store) throws IOException {
        return store.list().stream().map(BlobStore.StoredBlob::key).filter(k -> k.startsWith("b-ret/")).toList();
    }

    private static Instant day(Instant from, int days) {
        return from.plus(Duration.ofDays(days));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
