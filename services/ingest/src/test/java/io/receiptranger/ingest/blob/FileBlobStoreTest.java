package io.receiptranger.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.ingest.view.BatchViews;

class FileBlobStoreTest {

    @TempDir
    Path dir;

    @Test
    void storesUnderTheRootAsAbsoluteFileUris() throws IOException {
        FileBlobStore store = (FileBlobStore) BlobStores.create("file:" + dir);

        String uri = store.put("b-1/r-1/image.jpg", new byte[] { 1, 2, 3 }, "image/jpeg");

        assertThat(uri).startsWith("file:///").endsWith("/b-1/r-1/image.jpg");
        assertThat(store.get(uri)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> store.get("file:///etc/passwd")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.put("../escape.jpg", new byte[0], "image/jpeg")).isInstanceOf(IOException.class);
    }

    @Test
    void retentionCountsFromTheTerminalStage() throws Exception {
        RetentionScenario.retentionCountsFromTheTerminalStage(new FileBlobStore(dir));
    }

    @Test
    void theScheduledSweepWaitsUntilTheViewsHaveCaughtUp() throws Exception {
        // Given an image uploaded 40 days before the clock, of a receipt the view does not know (yet)
        FileBlobStore store = new FileBlobStore(dir);
        String uri = store.put("b-1/r-1/image.jpg", new byte[] { 1 }, "image/jpeg");
        Instant now = Instant.parse("2026-11-29T00:00:00Z");
        Files.setLastModifiedTime(Path.of(URI.create(uri)), FileTime.from(now.minus(Duration.ofDays(40))));
        Clock clock = Clock.fixed(now, ZoneOffset.UTC);
        AtomicBoolean caughtUp = new AtomicBoolean(false);
        BlobRetention retention = new BlobRetention(store, new BatchViews(), 30, clock, caughtUp::get);

        // When the sweep runs before the views have caught up, it keeps the image (the receipt may be in flight)
        retention.scheduledSweep();
        assertThat(store.get(uri)).containsExactly(1);

        // When it runs after they have, the still unknown receipt goes by its age
        caughtUp.set(true);
        retention.scheduledSweep();
        assertThat(Files.exists(Path.of(URI.create(uri)))).isFalse();
    }
}
