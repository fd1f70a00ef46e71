package io.receiptranger.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.receiptranger.cli.ingest.IngestClient;

/** The progress socket's messages (CONTRACT.md §3) as the CLI reads them: latest stage, never backwards. */
class BatchTrackerTest {

    static final Photo YOGA = new Photo(Path.of("yoga.jpg"), "yoga.jpg", "a".repeat(64), 10);
    static final Photo CAT = new Photo(Path.of("cat.png"), "cat.png", "b".repeat(64), 10);

    final List<List<String>> changes = new ArrayList<>();
    final BatchTracker tracker = new BatchTracker(1, "b-1", photos(), (t, ids) -> changes.add(ids));

    static Map<String, Photo> photos() {
        Map<String, Photo> photos = new LinkedHashMap<>();
        photos.put("r-1", YOGA);
        photos.put("r-2", CAT);
        return photos;
    }

    void message(String json) throws Exception {
        tracker.apply(IngestClient.JSON.readTree(json));
    }

    @Test
    void aSnapshotThenStatusesThenCompleteEndEachReceipt() throws Exception {
        message("""
                {"type":"snapshot","batchId":"b-1","complete":false,"receipts":[
                 {"receiptId":"r-1","stage":"EXTRACTING","detail":"reading"},{"receiptId":"r-2","stage":"QUEUED","detail":"on Kafka"}]}""");
        assertThat(tracker.countsByStage()).containsExactly(Map.entry("QUEUED", 1), Map.entry("EXTRACTING", 1));
        assertThat(Progress.stageCounts(tracker.countsByStage())).isEqualTo("1 queued · 1 extracting");

        message("""
                {"type":"status","receiptId":"r-1","stage":"WRITTEN","detail":"added to October 2025, row 2",
                 "receipt":{"total":"167.61","date":"2025-10-05","vendor":"PEAK YOGA STUDIO","categories":["Subscriptions & Memberships"]}}""");
        message("""
                {"type":"status","receiptId":"r-2","stage":"NOT_A_RECEIPT","detail":"not a receipt","outcome":"NOT_A_RECEIPT",
                 "reason":"Image shows a chart, not a receipt"}""");
        message("{\"type\":\"complete\",\"batchId\":\"b-1\"}");

        assertThat(tracker.done()).isTrue();
        List<Result> results = tracker.results();
        assertThat(results).extracting(Result::outcome).containsExactly(Outcome.WRITTEN, Outcome.NOT_A_RECEIPT);
        assertThat(results.get(0).detail()).isEqualTo("added to October 2025, row 2");
        assertThat(results.get(0).receipt().path("vendor").asText()).isEqualTo("PEAK YOGA STUDIO");
        assertThat(results.get(1).detail()).isEqualTo("Image shows a chart, not a receipt");
        assertThat(changes).containsExactly(List.of("r-1"), List.of("r-1"), List.of("r-2"), List.of());
    }

    @Test
    void aLateOrRepeatedStatusNeverMovesAReceiptBackOrOutOfItsEnd() throws Exception {
        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"WRITING\"}");
        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"EXTRACTING\"}");
        assertThat(tracker.stage("r-1")).isEqualTo("WRITING");

        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"DUPLICATE\",\"detail\":\"already in October 2025, row 2\"}");
        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"FAILED\",\"detail\":\"late\"}");

        assertThat(tracker.stage("r-1")).isEqualTo("DUPLICATE");
        assertThat(tracker.result("r-1").detail()).isEqualTo("already in October 2025, row 2");
    }

    @Test
    void unknownReceiptsStagesAndTypesAreIgnored() throws Exception {
        message("{\"type\":\"status\",\"receiptId\":\"r-9\",\"stage\":\"WRITTEN\"}");
        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"TELEPORTED\"}");
        message("{\"type\":\"hello\"}");

        assertThat(tracker.countsByStage()).containsExactly(Map.entry("QUEUED", 2));
        assertThat(tracker.done()).isFalse();
    }

    @Test
    void aReceiptStillOnItsWayWhenTheWaitEndsIsReportedAsFailedWithItsStage() throws Exception {
        message("{\"type\":\"status\",\"receiptId\":\"r-1\",\"stage\":\"WRITTEN\"}");
        message("{\"type\":\"status\",\"receiptId\":\"r-2\",\"stage\":\"EXTRACTING\"}");

        Result r2 = tracker.results().get(1);

        assertThat(r2.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(r2.detail()).startsWith("did not finish while we waited (last stage EXTRACTING)");
    }

    @Test
    void anErrorFromTheIngestIsKeptAsTheBatchsProblem() throws Exception {
        message("{\"type\":\"error\",\"status\":404,\"detail\":\"There is no batch with this id.\"}");

        assertThat(tracker.problem()).isEqualTo("There is no batch with this id.");
        assertThat(tracker.results().get(0).detail()).isEqualTo("not followed to its end (last stage QUEUED): There is no batch with this id.");
    }
}
