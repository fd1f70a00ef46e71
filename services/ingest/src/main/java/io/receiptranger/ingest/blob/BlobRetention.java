package io.receiptranger.ingest.blob;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * Deletes images older than {@code RANGER_BLOB_RETENTION_DAYS}. Age counts from the upload, which
 * is never earlier than the receipt reaching its terminal stage minus its processing time (minutes),
 * so "kept N days after terminal" holds to within that. On S3, a bucket lifecycle rule does the same.
 */
@ApplicationScoped
public class BlobRetention {

    private final BlobStore blobs;
    private final Duration retention;

    public BlobRetention(BlobStore blobs, IngestConfig config) {
        this.blobs = blobs;
        this.retention = Duration.ofDays(config.blobRetentionDays());
    }

    @Scheduled(every = "${ranger.blob-retention-sweep:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        try {
            int deleted = sweep(Instant.now());
            if (deleted > 0) {
                Log.infof("Blob retention: deleted %d image(s) older than %d days", deleted, retention.toDays());
            }
        } catch (Exception e) {
            Log.warnf("Blob retention sweep failed: %s", e.getMessage());
        }
    }

    int sweep(Instant now) throws java.io.IOException {
        return blobs.deleteOlderThan(now.minus(retention));
    }
}
