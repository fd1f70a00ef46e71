package io.receiptranger.cli.submit;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the user watches while a run goes on: live bars on a terminal ({@link TerminalProgress}),
 * plain lines otherwise ({@link PlainProgress}). Called from the main thread and from the progress
 * sockets' threads.
 */
public interface Progress extends AutoCloseable {

    /** The run sends {@code total} photos in {@code batches} batches. */
    void begin(int total, int batches);

    /** A batch was accepted by the ingest and is being followed. */
    void batchStarted(BatchTracker batch);

    /** Receipts of a batch moved (ids of those that did; none for a mere re-render). */
    void changed(BatchTracker batch, List<String> receiptIds);

    /** Something to tell that is not a progress update (a retry, a reconnect). */
    void note(String line);

    /** The run is over: bars are left in their final state. */
    @Override
    void close();

    /** "2 queued · 1 extracting · 5 written": the receipts per stage, in stage order. */
    static String stageCounts(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().toLowerCase(java.util.Locale.ROOT).replace('_', ' '))
                .collect(Collectors.joining(" · "));
    }
}
