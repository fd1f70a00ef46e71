package io.receiptranger.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.receiptranger.cli.ingest.IngestClient;

/** The bars' final state as written to the terminal (the live redraw is CliIT's, under tmux). */
class TerminalProgressTest {

    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    String run(int batches) throws Exception {
        TerminalProgress progress = new TerminalProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        progress.begin(batches, batches);
        for (int i = 1; i <= batches; i++) {
            BatchTracker tracker = new BatchTracker(i, "b-" + i, Map.of("r-" + i, new Photo(Path.of(i + ".jpg"), i + ".jpg", "h" + i, 1)),
                    progress::changed);
            progress.batchStarted(tracker);
            tracker.apply(IngestClient.JSON.readTree("{\"type\":\"status\",\"receiptId\":\"r-" + i + "\",\"stage\":\"WRITTEN\"}"));
        }
        progress.note("a note waits for the end");
        progress.close();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aBarForTheRunAndOneForEachBatchEachWithItsCountsThenTheNotes() throws Exception {
        String screen = run(3);

        assertThat(screen).contains("All       100%").contains("Batch 3/3 100%").contains("3/3").contains("3 written")
                .contains("1/1").contains("1 written");
        assertThat(screen.indexOf("a note waits for the end")).isGreaterThan(screen.lastIndexOf("Batch 3/3"));
    }

    @Test
    void moreBatchesThanFitOnAScreenShowTheRunsBarAlone() throws Exception {
        String screen = run(TerminalProgress.MAX_BATCH_BARS + 1);

        assertThat(screen).contains("100%").contains("13/13").contains("13 written").doesNotContain("Batch ");
    }
}
