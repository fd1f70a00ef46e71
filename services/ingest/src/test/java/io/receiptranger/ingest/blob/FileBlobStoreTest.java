package io.receiptranger.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.ingest.config.IngestConfig;

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
    void retentionDeletesOnlyImagesOlderThanTheConfiguredDays() throws Exception {
        FileBlobStore store = new FileBlobStore(dir);
        String old = store.put("old/image.jpg", new byte[] { 1 }, "image/jpeg");
        String young = store.put("young/image.jpg", new byte[] { 2 }, "image/jpeg");
        Files.setLastModifiedTime(Path.of(java.net.URI.create(old)), FileTime.from(Instant.now().minus(Duration.ofDays(31))));
        IngestConfig config = org.mockito.Mockito.mock(IngestConfig.class);
        org.mockito.Mockito.when(config.blobRetentionDays()).thenReturn(30);

        int deleted = new BlobRetention(store, config).sweep(Instant.now());

        assertThat(deleted).isEqualTo(1);
        assertThat(Files.exists(Path.of(java.net.URI.create(old)))).isFalse();
        assertThat(store.get(young)).containsExactly(2);
    }
}
