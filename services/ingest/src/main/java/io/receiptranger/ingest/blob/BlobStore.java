package io.receiptranger.ingest.blob;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where images live while a receipt is processed (the claim check of CONTRACT §1): the event carries
 * the URI this store returns, the extractor reads it back. Keys are ours (never a user's file name).
 */
public interface BlobStore {

    /** Stores {@code bytes} under {@code key} and returns the URI that names them. */
    String put(String key, byte[] bytes, String contentType) throws IOException;

    /** Stores the file's bytes under {@code key} without reading them into memory. */
    String put(String key, Path file, String contentType) throws IOException;

    /** Reads back what {@link #put} stored under {@code uri}. */
    byte[] get(String uri) throws IOException;

    /** The URI {@link #put} returns for {@code key} (to read a blob back by its key). */
    String uriOf(String key) throws IOException;

    /** Every blob in the store: its key (as given to {@link #put}) and when it was stored. */
    List<StoredBlob> list() throws IOException;

    /** Deletes the blob under {@code key}; false when it was already gone. */
    boolean delete(String key) throws IOException;

    /** Deletes every blob stored before {@code cutoff}; returns how many went. */
    default int deleteOlderThan(Instant cutoff) throws IOException {
        int deleted = 0;
        for (StoredBlob b : list()) {
            if (b.storedAt().isBefore(cutoff) && delete(b.key())) {
                deleted++;
            }
        }
        return deleted;
    }

    /** A one-line description for logs (never a credential). */
    String describe();

    /** One blob: its key relative to the store ({@code <batchId>/<receiptId>/image.jpg}) and its age. */
    record StoredBlob(String key, Instant storedAt) {
    }
}
