package io.receiptranger.ingest.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.ImageRef;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.ReceiptSubmitted;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.blob.BlobStore;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.receiptranger.ingest.view.BatchViews;

/**
 * One upload, start to 202: check the batch, then each file (size, content, pixels), normalise and
 * store the good ones, and put them on Kafka. A bad file never spoils the batch; only a batch with
 * no usable file at all is refused as a whole.
 */
@ApplicationScoped
public class UploadService {

    private final IngestConfig config;
    private final ImagePipeline pipeline;
    private final BlobStore blobs;
    private final ReceiptPublisher publisher;
    private final BatchViews views;

    /** Normalises the files of a batch side by side (the pipeline bounds how many decode at once). */
    private final ExecutorService workers = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), runnable -> {
                Thread t = new Thread(runnable, "ingest-normaliser");
                t.setDaemon(true);
                return t;
            });

    public UploadService(IngestConfig config, ImagePipeline pipeline, BlobStore blobs, ReceiptPublisher publisher,
            BatchViews views) {
        this.config = config;
        this.pipeline = pipeline;
        this.blobs = blobs;
        this.publisher = publisher;
        this.views = views;
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    public UploadResult upload(UploadRequest request) {
        IngestConfig.Upload limits = config.upload();
        List<UploadRequest.Part> parts = request.files() == null ? List.of() : request.files();
        if (parts.isEmpty()) {
            throw new UploadProblem(400, "No files were sent: add one or more parts named \"files\".");
        }
        if (parts.size() > limits.maxFiles()) {
            throw new UploadProblem(413, "A batch holds at most " + limits.maxFiles() + " files; this one has "
                    + parts.size() + ". Send the rest in another batch.");
        }
        String criteria = blankToNull(request.exclusionCriteria());
        if (criteria != null && criteria.length() > limits.maxExclusionCriteriaChars()) {
            throw new UploadProblem(400, "The exclusion criteria are " + criteria.length()
                    + " characters long; the limit is " + limits.maxExclusionCriteriaChars() + ".");
        }
        String timeZone = validTimeZone(blankToNull(request.timeZone()));
        checkDailyLimit(request.owner(), parts.size(), Instant.now());

        String batchId = Ids.batchId();
        Instant now = Instant.now();
        FileNames names = new FileNames(limits.maxFileNameChars());
        // Pass 1, in order and cheap: names, sizes, hashes, formats, duplicates.
        List<Planned> plan = new ArrayList<>();
        Map<String, Planned> firstBySha = new HashMap<>();
        for (UploadRequest.Part part : parts) {
            String name = names.unique(part.fileName());
            if (part.size() > limits.maxFileBytes()) {
                plan.add(Planned.rejected(name, 413, "the file is " + mib(part.size())
                        + "; the limit is " + mib(limits.maxFileBytes()) + " a file"));
                continue;
            }
            if (part.size() == 0) {
                plan.add(Planned.rejected(name, 422, "the file is empty"));
                continue;
            }
            String sha = sha256(part);
            Planned first = firstBySha.get(sha);
            if (first != null) {
                // Same bytes again: shown twice, sent once (SEED-SPEC 2.4).
                plan.add(new Planned(name, part, sha, null, first, null));
                continue;
            }
            Planned entry;
            try {
                ImageFormat format = ImageFormat.sniff(head(part)).orElseThrow(() -> new FileRejected(415,
                        "this is not an image we read (JPEG, PNG, WebP, GIF, BMP, TIFF, HEIC/HEIF or PDF)"));
                entry = new Planned(name, part, sha, format, null, null);
            } catch (FileRejected e) {
                entry = Planned.rejected(name, e.status(), e.getMessage());
            }
            firstBySha.put(sha, entry);
            plan.add(entry);
        }

        // Pass 2, in parallel: decode, normalise and store each distinct image.
        for (Planned entry : plan) {
            if (entry.format != null) {
                entry.work = workers.submit(
                        () -> prepareAndStore(entry, batchId, request.owner(), request.source(), now, timeZone, criteria, request.review()));
            }
        }

        // Pass 3, in order: the answer.
        List<UploadResult.Accepted> accepted = new ArrayList<>();
        List<UploadResult.Rejected> rejected = new ArrayList<>();
        List<ReceiptSubmitted> submitted = new ArrayList<>();
        for (Planned entry : plan) {
            Planned source = entry.duplicateOf != null ? entry.duplicateOf : entry;
            Object outcome = source.outcome();
            if (outcome instanceof ReceiptSubmitted r) {
                if (entry == source) {
                    submitted.add(r);
                    accepted.add(new UploadResult.Accepted(r.receiptId(), entry.name, null));
                } else {
                    accepted.add(new UploadResult.Accepted(r.receiptId(), entry.name, source.name));
                }
            } else {
                FileRejected no = (FileRejected) outcome;
                rejected.add(new UploadResult.Rejected(entry.name, no.status(), no.getMessage()));
            }
        }

        if (submitted.isEmpty()) {
            throw new UploadProblem(422, parts.size() == 1 ? "The file could not be used: " + rejected.get(0).error() + "."
                    : "None of the " + parts.size() + " files could be used; see \"rejected\" for each reason.", rejected);
        }

        List<ReceiptStatus> received = submitted.stream().map(r -> status(r, Stage.RECEIVED, "stored", now)).toList();
        // Known here at once, in upload order, whatever order the topics' partitions deliver in.
        for (int i = 0; i < submitted.size(); i++) {
            views.received(submitted.get(i), received.get(i));
        }
        try {
            publisher.publishAll(submitted, received, limits.kafkaAckTimeout());
            Instant queuedAt = Instant.now();
            List<ReceiptStatus> queued = submitted.stream()
                    .map(r -> status(r, Stage.QUEUED, "waiting for the extractor", queuedAt)).toList();
            publisher.publishStatuses(queued, limits.kafkaAckTimeout());
            queued.forEach(views::status);
        } catch (RuntimeException e) {
            Log.errorf(e, "Kafka did not acknowledge batch %s", batchId);
            submitted.forEach(r -> views.status(status(r, Stage.FAILED, "could not be queued: Kafka did not acknowledge",
                    Instant.now())));
            throw new UploadProblem(503, "The receipts could not be queued: Kafka did not acknowledge them in time."
                    + " Try again in a moment.");
        }
        Log.infof("Batch %s: %d accepted (%d sent), %d rejected", batchId, accepted.size(), submitted.size(), rejected.size());
        return new UploadResult(batchId, accepted, rejected, "/ws/batches/" + batchId);
    }

    private ReceiptSubmitted prepareAndStore(Planned entry, String batchId, String owner, String source, Instant now,
            String timeZone, String criteria, boolean review) throws FileRejected {
        PreparedImage image;
        try {
            image = pipeline.prepare(entry.part.path(), entry.format);
        } catch (RuntimeException | LinkageError | StackOverflowError e) {
            // A decoder tripping over a crafted file is the file's fault, not a server error.
            Log.debugf(e, "Decoder failed on %s", entry.name);
            throw new FileRejected(422, "the image is corrupt and cannot be read");
        }
        String receiptId = Ids.receiptId();
        String prefix = batchId + "/" + receiptId;
        try {
            String originalUri = blobs.put(prefix + "/original." + entry.format.extension(), entry.part.path(),
                    entry.format.contentType());
            String imageUri = blobs.put(prefix + "/image." + image.extension(), image.bytes(), image.contentType());
            return new ReceiptSubmitted(receiptId, batchId, owner, source, entry.name, image.contentType(), entry.sha,
                    ImageRef.of(imageUri), ImageRef.of(originalUri), now, timeZone, criteria, review ? Boolean.TRUE : null);
        } catch (IOException e) {
            // The store's own words (paths, bucket, provider messages) are for the log, not the client.
            Log.errorf(e, "The blob store could not save %s of batch %s", prefix, batchId);
            throw new UploadProblem(503, "The image store could not save the files; nothing was queued. Try again in a moment.");
        }
    }

    /** One file of the batch on its way: rejected at once, a duplicate of an earlier one, or work in progress. */
    private static final class Planned {
        final String name;
        final UploadRequest.Part part;
        final String sha;
        final ImageFormat format;
        final Planned duplicateOf;
        final FileRejected rejection;
        Future<ReceiptSubmitted> work;

        Planned(String name, UploadRequest.Part part, String sha, ImageFormat format, Planned duplicateOf,
                FileRejected rejection) {
            this.name = name;
            this.part = part;
            this.sha = sha;
            this.format = format;
            this.duplicateOf = duplicateOf;
            this.rejection = rejection;
        }

        static Planned rejected(String name, int status, String reason) {
            return new Planned(name, null, null, null, null, new FileRejected(status, reason));
        }

        /** The stored receipt, or the {@link FileRejected} that says why not. */
        Object outcome() {
            if (rejection != null) {
                return rejection;
            }
            try {
                return work.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new UploadProblem(503, "The server is shutting down; try again.");
            } catch (ExecutionException e) {
                if (e.getCause() instanceof FileRejected no) {
                    return no;
                }
                if (e.getCause() instanceof UploadProblem problem) {
                    throw problem;
                }
                Log.error("Unexpected failure while preparing an image", e.getCause());
                return new FileRejected(422, "the image could not be processed");
            }
        }
    }

    /**
     * The operator's per-owner daily limit ({@code RANGER_DAILY_RECEIPT_LIMIT}), counted in files before
     * any is decoded. Replicas count from the topic, so two uploads at the same instant on two replicas
     * may pass it by one batch.
     */
    void checkDailyLimit(String owner, int files, Instant now) {
        int limit = config.dailyReceiptLimit();
        if (limit <= 0) {
            return;
        }
        java.time.LocalDate today = now.atOffset(java.time.ZoneOffset.UTC).toLocalDate();
        int used = views.receiptsOn(owner, today);
        if (used + files <= limit) {
            return;
        }
        Instant reset = today.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        long seconds = Math.max(1, java.time.Duration.between(now, reset).toSeconds());
        String left = used >= limit ? "You have used all " + limit + " receipts of today's limit"
                : "You have " + (limit - used) + " of today's " + limit + " receipts left and this batch has " + files + " files";
        throw UploadProblem.later(left + ". The limit resets at " + reset + " (midnight UTC, in " + (seconds / 3600) + " h "
                + (seconds % 3600 / 60) + " min); send the batch then, or fewer files now.", seconds);
    }

    private static ReceiptStatus status(ReceiptSubmitted r, Stage stage, String detail, Instant at) {
        return new ReceiptStatus(r.receiptId(), r.batchId(), stage, detail, ReceiptStatus.SERVICE, at);
    }

    private static String validTimeZone(String zone) {
        if (zone == null) {
            return null;
        }
        try {
            if (zone.length() <= 64 && ZoneId.getAvailableZoneIds().contains(zone)) {
                return ZoneId.of(zone).getId();
            }
        } catch (DateTimeException e) {
            // falls through to the refusal below
        }
        String shown = zone.length() > 64 ? zone.substring(0, 64) + "…" : zone;
        throw new UploadProblem(400, "The time zone \"" + shown.replaceAll("\\p{Cntrl}", "")
                + "\" is not an IANA time zone name such as America/Chicago or Europe/Berlin.");
    }

    private static String sha256(UploadRequest.Part part) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(part.path()), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] head(UploadRequest.Part part) throws FileRejected {
        try (InputStream in = Files.newInputStream(part.path())) {
            return in.readNBytes(ImageFormat.SNIFF_BYTES);
        } catch (IOException e) {
            throw new FileRejected(422, "the file could not be read");
        }
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0).replace(".0 MiB", " MiB");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
