package io.receiptranger.ingest.blob;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BooleanSupplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.messaging.CatchUp;
import io.receiptranger.ingest.view.BatchViews;
import io.receiptranger.ingest.view.ReceiptView;

/**
 * Deletes a receipt's images (normalised and original) once it has been terminal for
 * {@code RANGER_BLOB_RETENTION_DAYS} (CONTRACT §5), as the view tells: the blob key is
 * {@code <batchId>/<receiptId>/…}. A receipt still in flight keeps its images, since the extractor
 * may yet read them. Images of receipts the view does not know (their records expired from Kafka,
 * or a key of another shape) fall back to their own age: a receipt expired from the topics ended
 * long ago, and the upload is the only date left. The scheduled sweep waits until the views have
 * caught up with the topics: before that, a receipt in flight would look unknown.
 */
@ApplicationScoped
public class BlobRetention {

    private final BlobStore blobs;
    private final BatchViews views;
    private final Duration retention;
    private final Clock clock;
    private final BooleanSupplier viewsCaughtUp;

    @Inject
    public BlobRetention(BlobStore blobs, BatchViews views, IngestConfig config, CatchUp catchUp) {
        this(blobs, views, config.blobRetentionDays(), Clock.systemUTC(),
                () -> catchUp.check().getStatus() == HealthCheckResponse.Status.UP);
    }

    BlobRetention(BlobStore blobs, BatchViews views, int retentionDays, Clock clock, BooleanSupplier viewsCaughtUp) {
        this.blobs = blobs;
        this.views = views;
        this.retention = Duration.ofDays(retentionDays);
        this.clock = clock;
        this.viewsCaughtUp = viewsCaughtUp;
    }

    @Scheduled(every = "${ranger.blob-retention-sweep:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledSweep() {
        if (!viewsCaughtUp.getAsBoolean()) {
            Log.debug("Blob retention: the views have not caught up yet; sweeping next time");
            return;
        }
        try {
            int deleted = sweep();
            if (deleted > 0) {
                Log.infof("Blob retention: deleted %d image(s) of receipts done for %d days", deleted, retention.toDays());
            }
        } catch (Exception e) {
            Log.warnf("Blob retention sweep failed: %s", e.getMessage());
        }
    }

    /** One sweep at the clock's instant; returns how many blobs went. */
    int sweep() throws IOException {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = 0;
        for (BlobStore.StoredBlob blob : blobs.list()) {
            if (expired(blob, cutoff) && blobs.delete(blob.key())) {
                deleted++;
            }
        }
        return deleted;
    }

    private boolean expired(BlobStore.StoredBlob blob, Instant cutoff) {
        Optional<ReceiptView> receipt = receiptOf(blob.key());
        if (receipt.isEmpty()) {
            return blob.storedAt().isBefore(cutoff);
        }
        ReceiptView r = receipt.get();
        if (r.stage() == null || !r.stage().terminal()) {
            return false;
        }
        // A terminal status without a time (not one we or the other services write) counts from the upload.
        Instant terminalAt = r.at() == null ? blob.storedAt() : r.at();
        return !terminalAt.isAfter(cutoff);
    }

    private Optional<ReceiptView> receiptOf(String key) {
        String[] parts = key.split("/", 3);
        return parts.length < 3 ? Optional.empty() : views.receipt(parts[0], parts[1]);
    }
}
