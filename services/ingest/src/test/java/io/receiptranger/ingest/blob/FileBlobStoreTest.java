package io.receiptranger.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
