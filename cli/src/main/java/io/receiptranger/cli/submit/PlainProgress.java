package io.receiptranger.cli.submit;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.receiptranger.cli.text.Text;

/**
 * Progress for logs and pipes (not a terminal, or {@code --no-progress}): one line per batch sent
 * and one per receipt as it reaches its end, numbered against the run's total, never a control
 * sequence.
 */
public final class PlainProgress implements Progress {

    private final PrintStream out;
    private boolean closed;
    private final AtomicInteger done = new AtomicInteger();
    private final long started = System.nanoTime();
    private volatile int total;
    private volatile int batches;

    public PlainProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void begin(int total, int batches) {
        this.total = total;
        this.batches = batches;
    }

    @Override
    public synchronized void batchStarted(BatchTracker batch) {
        out.println("Batch " + batch.number() + " of " + batches + ": " + batch.size() + " sent, following " + batch.batchId());
        out.flush();
    }

    @Override
    public synchronized void changed(BatchTracker batch, List<String> receiptIds) {
        for (String id : receiptIds) {
            Result result = batch.result(id);
            if (result != null) {
                int n = done.incrementAndGet();
                String width = String.valueOf(total);
                out.printf("[%" + width.length() + "d/%s] %-13s %s%s%n", n, width, result.outcome().label(), Text.line(result.photo().name()),
                        result.detail() == null || result.detail().isBlank() ? "" : " — " + Text.line(result.detail()));
            }
        }
        out.flush();
    }

    @Override
    public synchronized void note(String line) {
        out.println(Text.line(line));
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        out.println("Done: " + done.get() + " of " + total + " in " + seconds + " s");
        out.flush();
    }
}
