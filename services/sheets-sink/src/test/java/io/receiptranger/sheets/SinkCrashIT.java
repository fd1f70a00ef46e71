package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.fakesheets.FakeSheets;

/**
 * The crash test of issue 5: the packaged sink is killed with {@code kill -9} while the fake Sheets
 * server holds an append open (the rows landed, the sink never heard), during 50 receipts; after a
 * restart every receipt is in the sheet exactly once and each reached {@code WRITTEN}.
 */
class SinkCrashIT {

    static final String SHEET = "crash-sheet";
    static final String EMAIL = "sink@crash-test.iam.gserviceaccount.com";
    static final int RECEIPTS = 50;

    PackagedSinks world;
    FakeSheets fake;
    KafkaProbe kafka;
    Map<String, String> env;

    @BeforeEach
    void start() {
        world = PackagedSinks.start();
        kafka = world.kafka;
        fake = world.fake;
        fake.createSpreadsheet(SHEET);
        env = world.env(EMAIL);
        env.putAll(Map.of(
                "GOOGLE_SHEETS_SPREADSHEET_ID", SHEET,
                // Small batches, so the 50 receipts take several writes and the kill lands mid-stream.
                "MP_MESSAGING_INCOMING_EXTRACTIONS_MAX_POLL_RECORDS", "8",
                // The killed member leaves the group when its session expires: the broker's minimum.
                "MP_MESSAGING_INCOMING_EXTRACTIONS_SESSION_TIMEOUT_MS", "6000",
                // The restarted sink is the same replica (as a StatefulSet pod): it takes its partitions
                // back at once (static membership) and owns its predecessor's PENDING entries.
                "RANGER_INSTANCE_ID", "crash-sink"));
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    static String vendor(int i) {
        return String.format("Crash Vendor %02d", i);
    }

    /** Receipts spread over January, February and undated, each a different vendor. */
    static String extraction(int i) {
        String date = i % 5 == 0 ? "null" : "\"2026-0" + (1 + i % 2) + "-" + String.format("%02d", 1 + i % 28) + "\"";
        return """
                {"receiptId":"crash-%02d","batchId":"b-crash","owner":"default","outcome":"EXTRACTED","reason":"",
                 "receipt":{"total":"%d.%02d","currency":"USD","date":%s,"vendor":"%s","categories":["Other"],"paymentMethods":[]},
                 "extractedAt":"2026-11-28T22:%02d:00Z"}""".formatted(i, 10 + i, i, date, vendor(i), i);
    }

    List<String> dataRowsVendors() {
        List<String> vendors = new ArrayList<>();
        for (String tab : fake.tabs(SHEET)) {
            if (tab.equals("Sheet1")) {
                continue;
            }
            List<List<String>> rows = fake.formattedRows(SHEET, tab);
            assertThat(rows.get(0)).containsExactly("Amount", "Date", "", "Vendor", "Category");
            rows.subList(1, rows.size()).forEach(r -> vendors.add(r.get(3)));
        }
        return vendors;
    }

    long receiptsWithStage(String stage) {
        return kafka.read("receipt-status").stream().filter(n -> stage.equals(n.path("stage").asText()))
                .map(n -> n.path("receiptId").asText()).distinct().count();
    }

    @Test
    void killedWhileGoogleHoldsAnAppendEachReceiptIsInTheSheetExactlyOnce() throws Exception {
        SinkProcess first = world.sink(env, "crash-sink-1");
        IntStream.rangeClosed(1, 20).forEach(i -> kafka.send("extractions", "crash-" + i, extraction(i)));
        await().atMost(Duration.ofSeconds(60)).until(() -> dataRowsVendors().size() == 20);

        // Given the next append lands in the sheet but its answer never comes back
        FakeSheets.HeldWrite held = fake.holdNextWrite();
        IntStream.rangeClosed(21, RECEIPTS).forEach(i -> kafka.send("extractions", String.format("crash-%02d", i), extraction(i)));
        assertThat(held.awaitArrival(Duration.ofSeconds(60))).isTrue();
        int rowsWhenKilled = dataRowsVendors().size();

        // When the sink dies right there, and comes back
        first.kill9();
        held.release();
        assertThat(first.alive()).isFalse();
        SinkProcess second = world.sink(env, "crash-sink-2");

        // Then every receipt reached WRITTEN and is in the sheet exactly once
        await().atMost(Duration.ofSeconds(120)).until(() -> receiptsWithStage("WRITTEN") == RECEIPTS);
        List<String> vendors = dataRowsVendors();
        Map<String, Long> counts = vendors.stream().collect(Collectors.groupingBy(v -> v, Collectors.counting()));
        assertThat(rowsWhenKilled).as("the held append had landed before the kill").isGreaterThan(20);
        assertThat(counts).hasSize(RECEIPTS).allSatisfy((vendor, count) -> assertThat(count).as(vendor).isEqualTo(1L));
        assertThat(receiptsWithStage("DUPLICATE")).isZero();
        assertThat(receiptsWithStage("FAILED")).isZero();
        List<JsonNode> undated = kafka.statuses("crash-05");
        assertThat(undated.get(undated.size() - 1).path("detail").asText()).startsWith("added to Unknown Date, row ");
    }

    @Test
    void aCorrectionThatMovesARowSurvivesAKillBetweenGoogleApplyingItAndTheSinkHearingBack() throws Exception {
        env.put("MP_MESSAGING_INCOMING_RECEIPT_CORRECTIONS_SESSION_TIMEOUT_MS", "6000");
        SinkProcess first = world.sink(env, "correct-sink-1");
        kafka.send("extractions", "crash-01", extraction(1));
        kafka.send("extractions", "crash-03", extraction(3));
        await().atMost(Duration.ofSeconds(60)).until(() -> dataRowsVendors().size() == 2);

        // Given Google applies the correction's one write (append to March + delete from February) but never answers
        FakeSheets.HeldWrite held = fake.holdNextWrite();
        kafka.send("receipt-corrections", "crash-01", """
                {"correctionId":"c-crash-1","receiptId":"crash-01","owner":"default","by":"default","at":"%s","action":"CORRECT",
                 "date":"2026-03-09","amount":"11.50"}""".formatted(java.time.Instant.now()));
        assertThat(held.awaitArrival(Duration.ofSeconds(60))).isTrue();

        // When the sink dies right there, and comes back
        first.kill9();
        held.release();
        SinkProcess second = world.sink(env, "correct-sink-2");

        // Then the correction is applied once: the row is in March once, gone from February, the ledger agrees
        await().atMost(Duration.ofSeconds(120)).until(() -> get(second, "/api/receipts/crash-01").contains("\"outcome\":\"APPLIED\""));
        assertThat(fake.formattedRows(SHEET, "March 2026")).containsExactly(List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("11.50", "3/9/2026", "", vendor(1), "Other"));
        assertThat(fake.formattedRows(SHEET, "February 2026")).containsExactly(List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("13.03", "2/4/2026", "", vendor(3), "Other"));
        JsonNode detail = KafkaProbe.JSON.readTree(get(second, "/api/receipts/crash-01"));
        assertThat(detail.path("receipt").path("tab").asText()).isEqualTo("March 2026");
        assertThat(detail.path("receipt").path("row").asInt()).isEqualTo(2);
        assertThat(detail.path("history")).hasSize(1);
        assertThat(detail.path("pending").isNull()).isTrue();
        // and the receipt that was below it in February now has row 2 in the ledger too
        assertThat(KafkaProbe.JSON.readTree(get(second, "/api/receipts/crash-03")).path("receipt").path("row").asInt()).isEqualTo(2);
    }

    @Test
    void twoReplicasShareTheWorkWriteEachRowOnceAndServeTheSameLedger() throws Exception {
        // Two replicas are two StatefulSet pods: each its own static member (one id would fence the other).
        SinkProcess one = world.sink(replica("replica-1"), "replica-1");
        SinkProcess two = world.sink(replica("replica-2"), "replica-2");
        // Steady state: both replicas hold partitions before the work arrives. (A receipt redelivered
        // to one replica while the other is still writing it, mid-rebalance, is a known limit: see
        // the README, "Several replicas".)
        awaitStableGroupOf(2);
        Map<String, String> records = new java.util.LinkedHashMap<>();
        IntStream.rangeClosed(1, 40).forEach(i -> records.put(String.format("crash-%02d", i), extraction(i)));

        kafka.sendAll("extractions", records);

        await().atMost(Duration.ofSeconds(120)).until(() -> receiptsWithStage("WRITTEN") == 40);
        assertThat(dataRowsVendors()).hasSize(40).doesNotHaveDuplicates();
        for (SinkProcess replica : List.of(one, two)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaProbe.JSON.readTree(get(replica, "/api/receipts?owner=default")).size() == 40);
        }
    }

    private Map<String, String> replica(String instanceId) {
        Map<String, String> mine = new HashMap<>(env);
        mine.put("RANGER_INSTANCE_ID", instanceId);
        return mine;
    }

    private void awaitStableGroupOf(int members) {
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(
                Map.of("bootstrap.servers", world.broker.bootstrapServers()))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var group = admin.describeConsumerGroups(List.of("sheets-sink")).describedGroups().get("sheets-sink").get();
                return group.groupState() == org.apache.kafka.common.GroupState.STABLE
                        && group.members().size() == members
                        && group.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
            });
        }
    }

    static String get(SinkProcess sink, String path) throws Exception {
        return java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(sink.url(path))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8)).body();
    }

    @Test
    void aRestartedSinkRemembersWhatItWroteAndStillSpotsDuplicates() throws Exception {
        try (SinkProcess first = SinkProcess.start(env, "restart-sink-1")) {
            kafka.send("extractions", "crash-01", extraction(1));
            await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("crash-01").contains("WRITTEN"));
        }

        SinkProcess second = world.sink(env, "restart-sink-2");
        kafka.send("extractions", "crash-01", extraction(1));
        kafka.send("extractions", "other-01", extraction(1).replace("crash-01", "other-01"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("crash-01").size() == 3 && kafka.stages("other-01").contains("DUPLICATE"));
        assertThat(kafka.stages("crash-01")).containsExactly("WRITING", "WRITTEN", "WRITTEN");
        assertThat(dataRowsVendors()).containsExactly(vendor(1));
        String tsv = get(second, "/api/receipts?format=tsv&owner=default");
        assertThat(tsv).isEqualTo("Amount\tDate\t\tVendor\tCategory\n11.01\t2/2/2026\t\tCrash Vendor 01\tOther\n");
        // And the credentials never reach the log
        String logs = java.nio.file.Files.readString(java.nio.file.Path.of("target", "restart-sink-1.log"))
                + java.nio.file.Files.readString(java.nio.file.Path.of("target", "restart-sink-2.log"));
        assertThat(logs).contains("Writing to Google Sheets as " + EMAIL)
                .doesNotContain(env.get("GOOGLE_SHEETS_CREDENTIALS")).doesNotContain("PRIVATE KEY");
    }
}
