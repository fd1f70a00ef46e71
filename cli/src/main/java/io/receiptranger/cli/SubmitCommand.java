package io.receiptranger.cli;

import java.io.PrintStream;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.receiptranger.cli.ingest.IngestClient;
import io.receiptranger.cli.ingest.IngestException;
import io.receiptranger.cli.submit.BatchTracker;
import io.receiptranger.cli.submit.Outcome;
import io.receiptranger.cli.submit.Photo;
import io.receiptranger.cli.submit.PhotoFinder;
import io.receiptranger.cli.submit.PlainProgress;
import io.receiptranger.cli.submit.Progress;
import io.receiptranger.cli.submit.Result;
import io.receiptranger.cli.submit.SubmitReport;
import io.receiptranger.cli.submit.TerminalProgress;
import io.receiptranger.cli.text.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

/**
 * {@code ./ranger submit <file|folder>...}: the original's "process every new receipt in the folder"
 * (SEED-SPEC §6.2) over the ingest's API. Photos are found (folders recursively, non-images noted
 * and skipped), hashed, and asked about in the owner's ledger: those it already knows are not sent
 * again ("12 already processed, 3 new"). The rest go in batches of at most 20, each followed over its
 * progress socket to the end, then the summary. Exit 1 when any photo failed.
 */
@Command(name = "submit", header = "Upload photos or folders; follow each receipt to its end", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Upload receipt photos — files, or folders (recursively) — in batches of up to 20, follow each receipt "
                + "to its end with a live progress bar, then show what became of each photo.",
                "Photos your ledger already has (the same bytes) are not sent again. Exit code 1 when any photo failed."})
public class SubmitCommand implements Callable<Integer> {

    /** A batch's files stay well under the ingest's request limit (202 MiB by default). */
    static final long MAX_BATCH_BYTES = 150L * 1024 * 1024;
    private static final int MAX_UPLOAD_TRIES = 8;
    private static final Duration POLL_EVERY = Duration.ofSeconds(2);

    @ParentCommand
    Ranger ranger;

    @Mixin
    IngestOptions ingest;

    @Parameters(arity = "1..*", paramLabel = "FILE|FOLDER", description = "Photos (JPEG, PNG, HEIC, WebP, GIF, BMP, TIFF, PDF) or folders of them.")
    List<Path> paths;

    @Option(names = "--again", description = "Send photos the ledger already knows too (the original's --duplicates): each gets its answer again, "
            + "from the ledger when the photo was read before (no second model call).")
    boolean again;

    @Option(names = "--exclude", paramLabel = "CRITERIA",
            description = "Exclusion criteria in plain English, e.g. \"Exclude anything paid with the card ending 1234\".")
    String exclusionCriteria;

    @Option(names = "--no-progress", description = "Plain lines instead of live bars (the default when not on a terminal).")
    boolean noProgress;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "20", description = "Photos per upload, 1–20 (default ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--wait", paramLabel = "DURATION", defaultValue = "30m", converter = Durations.class,
            description = "How long to follow the receipts before giving up on the unfinished ones, e.g. 90s, 10m (default ${DEFAULT-VALUE}).")
    Duration wait;

    private final Object signal = new Object();

    @Override
    public Integer call() throws Exception {
        if (batchSize < 1 || batchSize > 20) {
            throw new picocli.CommandLine.ParameterException(ingest.command.commandLine(), "--batch-size must be between 1 and 20");
        }
        PrintStream out = ranger.out();
        IngestClient client = ingest.client();

        PhotoFinder.Found found = PhotoFinder.find(paths);
        boolean missing = found.skipped().stream().anyMatch(s -> s.endsWith(": file not found"));
        if (!found.skipped().isEmpty()) {
            out.println("Skipped " + found.skipped().size() + " " + plural(found.skipped().size(), "file") + ":");
            found.skipped().forEach(s -> out.println("  " + Text.line(s)));
        }

        // Same bytes twice in this run: sent once, the later copies reported as duplicates of the first.
        Map<Photo, Result> results = new LinkedHashMap<>();
        Map<String, Photo> firstOfHash = new LinkedHashMap<>();
        for (Photo photo : found.photos()) {
            Photo first = firstOfHash.putIfAbsent(photo.sha256(), photo);
            results.put(photo, first == null ? null
                    : new Result(photo, Outcome.DUPLICATE, "the same bytes as " + first.name() + ", sent once", null));
        }
        Map<String, IngestClient.Known> known = firstOfHash.isEmpty() || again ? Map.of()
                : client.lookup(new ArrayList<>(firstOfHash.keySet()));
        List<Photo> toSend = firstOfHash.values().stream().filter(p -> !known.containsKey(p.sha256())).toList();
        long already = found.photos().stream().filter(p -> known.containsKey(p.sha256())).count();
        if (found.photos().isEmpty()) {
            out.println("No photos to send.");
            return missing ? Ranger.FAILED : 0;
        }
        out.println(again ? "Sending all " + toSend.size() + " " + plural(toSend.size(), "photo") + ", already processed or not."
                : already + " already processed, " + (found.photos().size() - already) + " new");
        if (toSend.isEmpty()) {
            out.println("Nothing new to send.");
            return missing ? Ranger.FAILED : 0;
        }
        found.photos().stream().filter(p -> known.containsKey(p.sha256())).forEach(results::remove);

        List<List<Photo>> batches = batches(toSend);
        boolean live = !noProgress && ranger.interactive();
        List<BatchTracker> trackers = new ArrayList<>();
        Map<BatchTracker, WebSocket> sockets = new HashMap<>();
        long started = System.nanoTime();
        try (Progress progress = live ? new TerminalProgress(ranger.err()) : new PlainProgress(out)) {
            Thread restore = new Thread(progress::close);
            Runtime.getRuntime().addShutdownHook(restore);
            progress.begin(toSend.size(), batches.size());
            for (int i = 0; i < batches.size(); i++) {
                BatchTracker tracker = send(client, i + 1, batches.get(i), results, progress);
                if (tracker != null) {
                    trackers.add(tracker);
                    progress.batchStarted(tracker);
                    sockets.put(tracker, open(client, tracker, progress));
                }
            }
            follow(client, trackers, sockets, progress);
            sockets.values().stream().filter(s -> s != null && !s.isOutputClosed())
                    .forEach(s -> s.sendClose(WebSocket.NORMAL_CLOSURE, "done"));
            Runtime.getRuntime().removeShutdownHook(restore);
        }
        // A duplicate's sentence names the receipt it repeats by id; one of this run is named by its file.
        Map<String, String> nameOf = new HashMap<>();
        trackers.forEach(t -> t.receiptIds().forEach(id -> nameOf.put(id, t.photo(id).name())));
        trackers.forEach(t -> t.results().forEach(r -> results.put(r.photo(), withNames(r, nameOf))));

        List<Result> ended = results.values().stream().filter(r -> r != null).toList();
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        out.println();
        out.println("Sent " + toSend.size() + " " + plural(toSend.size(), "photo") + " in " + batches.size() + " "
                + plural(batches.size(), "batch") + ", " + seconds + " s" + (already > 0 ? " (" + already + " already processed, not sent)" : ""));
        out.print(SubmitReport.render(ended));
        out.flush();
        boolean failed = ended.stream().anyMatch(r -> r.outcome() == Outcome.FAILED);
        return failed || missing ? Ranger.FAILED : 0;
    }

    /** Photos in upload order, at most {@code batchSize} and {@link #MAX_BATCH_BYTES} a batch. */
    List<List<Photo>> batches(List<Photo> photos) {
        List<List<Photo>> batches = new ArrayList<>();
        List<Photo> current = new ArrayList<>();
        long bytes = 0;
        for (Photo photo : photos) {
            if (!current.isEmpty() && (current.size() == batchSize || bytes + photo.bytes() > MAX_BATCH_BYTES)) {
                batches.add(current);
                current = new ArrayList<>();
                bytes = 0;
            }
            current.add(photo);
            bytes += photo.bytes();
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        return batches;
    }

    /** Uploads one batch (waiting out 429/503 as the ingest asks); the tracker of what it accepted, or null. */
    private BatchTracker send(IngestClient client, int number, List<Photo> photos, Map<Photo, Result> results, Progress progress)
            throws InterruptedException {
        // Names unique within the batch, so the ingest keeps them and its answer maps back to the photos.
        Map<String, Photo> byName = new LinkedHashMap<>();
        List<IngestClient.Part> parts = new ArrayList<>();
        for (Photo photo : photos) {
            String name = uploadName(photo, byName);
            byName.put(name.toLowerCase(Locale.ROOT), photo);
            parts.add(new IngestClient.Part(name, photo.path()));
        }
        IngestClient.Upload upload = null;
        for (int attempt = 1; upload == null; attempt++) {
            try {
                upload = client.upload(parts, exclusionCriteria, ZoneId.systemDefault().getId());
            } catch (IngestClient.RetryLater later) {
                if (attempt == MAX_UPLOAD_TRIES) {
                    photos.forEach(p -> results.put(p, new Result(p, Outcome.FAILED, "not sent: " + later.getMessage(), null)));
                    return null;
                }
                progress.note("Batch " + number + ": " + later.getMessage() + "; trying again in " + later.after().toSeconds() + " s");
                Thread.sleep(later.after().toMillis());
            } catch (IngestException e) {
                if (e.status() != 413) {
                    throw e;
                }
                photos.forEach(p -> results.put(p, new Result(p, Outcome.FAILED, "not sent: " + e.getMessage(), null)));
                return null;
            }
        }
        Deque<Photo> unmatched = new ArrayDeque<>(photos);
        Map<String, Photo> photoOf = new LinkedHashMap<>();
        for (IngestClient.Accepted a : upload.accepted()) {
            Photo photo = match(a.fileName(), byName, unmatched);
            if (photo != null && !photoOf.containsKey(a.receiptId())) {
                photoOf.put(a.receiptId(), photo);
            } else if (photo != null) {
                results.put(photo, new Result(photo, Outcome.DUPLICATE, "the same bytes as " + photoOf.get(a.receiptId()).name(), null));
            }
        }
        for (IngestClient.Rejected r : upload.rejected()) {
            Photo photo = match(r.fileName(), byName, unmatched);
            if (photo != null) {
                results.put(photo, new Result(photo, Outcome.FAILED, "rejected (" + r.status() + "): " + r.error(), null));
            }
        }
        if (upload.batchId() == null || photoOf.isEmpty()) {
            return null;
        }
        return new BatchTracker(number, upload.batchId(), photoOf, (tracker, ids) -> {
            progress.changed(tracker, ids);
            synchronized (signal) {
                signal.notifyAll();
            }
        });
    }

    private static Photo match(String fileName, Map<String, Photo> byName, Deque<Photo> unmatched) {
        Photo photo = fileName == null ? null : byName.get(fileName.toLowerCase(Locale.ROOT));
        if (photo == null || !unmatched.contains(photo)) {
            // The ingest renamed it after all (a stricter name limit): the answer keeps the upload's order.
            photo = unmatched.peekFirst();
        }
        unmatched.remove(photo);
        return photo;
    }

    /** The file's own name, cleaned of what the ingest would change, made unique in the batch like {@code name (2).jpg}. */
    static String uploadName(Photo photo, Map<String, Photo> taken) {
        String name = Text.line(photo.path().getFileName().toString()).strip();
        if (name.length() > 100) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            name = name.substring(0, 100 - ext.length()) + ext;
        }
        String candidate = name;
        int dot = name.lastIndexOf('.');
        for (int n = 2; taken.containsKey(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = dot > 0 ? name.substring(0, dot) + " (" + n + ")" + name.substring(dot) : name + " (" + n + ")";
        }
        return candidate;
    }

    private WebSocket open(IngestClient client, BatchTracker tracker, Progress progress) {
        try {
            return client.follow("/ws/batches/" + tracker.batchId(), tracker);
        } catch (IngestException e) {
            progress.note("Batch " + tracker.number() + ": " + e.getMessage() + " Asking for its state every "
                    + POLL_EVERY.toSeconds() + " s instead.");
            return null;
        }
    }

    /**
     * Waits until every batch is done or {@code --wait} is over. A socket that closed early is opened
     * again (a fresh snapshot); while it cannot be, the batch's state is asked for over HTTP.
     */
    private void follow(IngestClient client, List<BatchTracker> trackers, Map<BatchTracker, WebSocket> sockets, Progress progress)
            throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Map<BatchTracker, Long> lastTry = new HashMap<>();
        while (System.nanoTime() < deadline) {
            List<BatchTracker> open = trackers.stream().filter(t -> !t.done() && t.problem() == null).toList();
            if (open.isEmpty()) {
                break;
            }
            for (BatchTracker t : open) {
                WebSocket socket = sockets.get(t);
                boolean broken = socket == null || t.socketClosed();
                long now = System.nanoTime();
                if (broken && now - lastTry.getOrDefault(t, 0L) > POLL_EVERY.toNanos()) {
                    lastTry.put(t, now);
                    poll(client, t);
                    if (!t.done()) {
                        try {
                            sockets.put(t, client.follow("/ws/batches/" + t.batchId(), t));
                        } catch (IngestException e) {
                            sockets.put(t, null);
                        }
                    }
                }
            }
            synchronized (signal) {
                signal.wait(500);
            }
        }
        trackers.stream().filter(t -> t.problem() != null)
                .forEach(t -> progress.note("Batch " + t.number() + ": " + t.problem()));
    }

    /** The batch now, over HTTP ({@code GET /api/batches/{id}}), applied like a socket's snapshot. */
    private static void poll(IngestClient client, BatchTracker tracker) {
        try {
            JsonNode batch = client.getJson("/api/batches/" + tracker.batchId(), Map.of());
            if (batch instanceof ObjectNode snapshot) {
                snapshot.put("type", "snapshot");
                tracker.apply(snapshot);
            }
        } catch (IngestException e) {
            // Not reachable for now: the next round tries again, until --wait is over.
        }
    }

    static Result withNames(Result r, Map<String, String> nameOf) {
        String detail = r.detail();
        if (detail == null || !detail.contains("receipt ")) {
            return r;
        }
        for (Map.Entry<String, String> e : nameOf.entrySet()) {
            detail = detail.replace("(receipt " + e.getKey() + ")", "(" + e.getValue() + ")");
        }
        return new Result(r.photo(), r.outcome(), detail, r.receipt());
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word.equals("batch") ? "batches" : word + "s";
    }
}
