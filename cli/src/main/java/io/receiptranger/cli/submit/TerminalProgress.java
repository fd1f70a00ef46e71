package io.receiptranger.cli.submit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Live bars on a terminal (me.tongfei:progressbar, which redraws several bars in place through
 * JLine): one for the whole run and one per batch, each with its elapsed time, its ETA and the
 * receipts per stage. Nothing else may print while the bars are up, so notes wait until the end.
 * Bars are redrawn by moving the cursor up, which only works while they fit on the screen: a run of
 * more than {@value #MAX_BATCH_BARS} batches shows the overall bar alone.
 */
public final class TerminalProgress implements Progress {

    static final int MAX_BATCH_BARS = 12;

    private final PrintStream out;
    private boolean closed;
    private final List<String> notes = new ArrayList<>();
    private final List<BatchTracker> batchesSeen = new ArrayList<>();
    private final Map<BatchTracker, ProgressBar> bars = new LinkedHashMap<>();
    private ProgressBar overall;
    private int batches;

    public TerminalProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public synchronized void begin(int total, int batches) {
        this.batches = batches;
        overall = bar(pad("All"), total);
    }

    @Override
    public synchronized void batchStarted(BatchTracker batch) {
        batchesSeen.add(batch);
        if (batches <= MAX_BATCH_BARS) {
            bars.put(batch, bar(pad("Batch " + batch.number() + "/" + batches), batch.size()));
        }
        changed(batch, List.of());
    }

    @Override
    public synchronized void changed(BatchTracker batch, List<String> receiptIds) {
        ProgressBar bar = bars.get(batch);
        if (bar != null) {
            bar.stepTo(batch.finishedCount());
            bar.setExtraMessage(Progress.stageCounts(batch.countsByStage()));
        }
        Map<String, Integer> all = new LinkedHashMap<>();
        int finished = 0;
        for (BatchTracker b : batchesSeen) {
            b.countsByStage().forEach((stage, n) -> all.merge(stage, n, Integer::sum));
            finished += b.finishedCount();
        }
        overall.stepTo(finished);
        overall.setExtraMessage(Progress.stageCounts(sorted(all)));
    }

    @Override
    public synchronized void note(String line) {
        notes.add(line);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // The batch bars first: the overall bar, opened first, stays on its line above them.
        bars.values().forEach(ProgressBar::close);
        if (overall != null) {
            overall.close();
        }
        out.flush();
        notes.forEach(n -> out.println(io.receiptranger.cli.text.Text.line(n)));
    }

    private ProgressBar bar(String name, int max) {
        return new ProgressBarBuilder().setTaskName(name).setInitialMax(max).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200).setUnit(" receipts", 1).continuousUpdate()
                .setConsumer(new InteractiveConsoleProgressBarConsumer(out)).build();
    }

    /** Names as wide as the widest batch's, so the bars start in one column. */
    private String pad(String name) {
        int width = ("Batch " + batches + "/" + batches).length();
        return name + " ".repeat(Math.max(0, width - name.length()));
    }

    private static Map<String, Integer> sorted(Map<String, Integer> counts) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String stage : BatchTracker.STAGES) {
            if (counts.containsKey(stage)) {
                out.put(stage, counts.get(stage));
            }
        }
        return out;
    }
}
