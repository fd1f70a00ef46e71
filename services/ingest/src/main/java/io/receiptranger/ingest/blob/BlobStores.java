package io.receiptranger.ingest.blob;

import java.nio.file.Path;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.config.IngestConfig;

/** Chooses the blob store from {@code RANGER_BLOB_STORE}: {@code file:<dir>} or {@code s3://bucket/prefix}. */
public class BlobStores {

    @Produces
    @ApplicationScoped
    BlobStore blobStore(IngestConfig config) {
        BlobStore store = create(config.blobStore());
        Log.infof("Blob store: %s", store.describe());
        return store;
    }

    public static BlobStore create(String spec) {
        if (spec.startsWith("file:")) {
            String dir = spec.substring("file:".length());
            if (dir.startsWith("//")) {
                // file:///abs/dir is also accepted.
                return new FileBlobStore(Path.of(java.net.URI.create(spec)));
            }
            return new FileBlobStore(Path.of(dir.isEmpty() ? "." : dir));
        }
        if (spec.startsWith("s3://")) {
            return S3BlobStore.create(spec, java.util.Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL_S3"))
                    .or(() -> java.util.Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))));
        }
        throw new IllegalArgumentException("RANGER_BLOB_STORE must be file:<dir> or s3://bucket/prefix, not " + spec);
    }
}
