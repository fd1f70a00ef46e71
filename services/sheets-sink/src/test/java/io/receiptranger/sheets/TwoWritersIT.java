package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.fakesheets.FakeSheets;

/**
 * One writer per spreadsheet (issue 9, "Scale with users"): two packaged sink replicas, two users
 * with spreadsheets of their own ({@code RANGER_SHEETS_OWNERS}), extractions keyed by owner as the
 * extractor sends them. A replica joins while receipts flow, then the replica writing one user's
 * receipts leaves while Google holds its append (applied, unanswered): every row is in its user's
 * sheet exactly once and every receipt ends {@code WRITTEN}.
 */
class TwoWritersIT {

    // Owners whose keys hash to different partitions of the 3 of extractions (checked below).
    static final String CAROL = "carol";
    static final String DAVE = "dave";
    static final Map<String, String> SHEET_OF = Map.of(CAROL, "sheet-carol", DAVE, "sheet-dave");
    static final String EMAIL = "sink@two-writers.iam.gserviceaccount.com";

    PackagedSinks world;
    FakeSheets fake;
    KafkaProbe kafka;
    Map<String, String> env;
    final AtomicInteger sent = new AtomicInteger();
    final Map<String, String> ownerOf = new java.util.concurrent.ConcurrentHashMap<>();

    @BeforeEach
    void start() {
        world = PackagedSinks.start();
        kafka = world.kafka;
        fake = world.fake;
        SHEET_OF.values().forEach(fake::createSpreadsheet);
        env = world.env(EMAIL);
        env.putAll(Map.of(
                "RANGER_SHEETS_OWNERS", CAROL + "=" + SHEET_OF.get(CAROL) + "," + DAVE + "=" + SHEET_OF.get(DAVE),
                // The handover waits for a Google call to be surely over: connect + read time-out + 2 s.
                "RANGER_SHEETS_CONNECT_TIMEOUT", "1s",
                "RANGER_SHEETS_READ_TIMEOUT", "3s",
                "MP_MESSAGING_INCOMING_EXTRACTIONS_MAX_POLL_RECORDS", "5",
                "MP_MESSAGING_INCOMING_EXTRACTIONS_SESSION_TIMEOUT_MS", "6000"));
    }

    @AfterEach
    void stop() {
        if (world != null) {
            world.close();
        }
    }

    SinkProcess replica(String name) throws Exception {
        Map<String, String> mine = new HashMap<>(env);
        mine.put("RANGER_INSTANCE_ID", name);
        return world.sink(mine, name);
    }

    /** One more receipt of the owner, keyed by owner as the extractor publishes it. */
    void send(String owner) {
        int i = sent.incrementAndGet();
        String id = String.format("two-%03d", i);
        ownerOf.put(id, owner);
        kafka.send("extractions", owner, """
                {"receiptId":"%s","batchId":"b-two","owner":"%s","outcome":"EXTRACTED","reason":"",
                 "receipt":{"total":"%d.00","currency":"USD","date":"2026-01-%02d","vendor":"Vendor %03d","categories":["Other"],"paymentMethods":[]},
                 "extractedAt":"2026-11-28T22:00:00Z"}""".formatted(id, owner, i, 1 + i % 28, i));
    }

    Map<String, Long> rowsPerVendor(String owner) {
        List<List<String>> rows = fake.tabs(SHEET_OF.get(owner)).contains("January 2026")
                ? fake.formattedRows(SHEET_OF.get(owner), "January 2026") : List.of();
        return rows.stream().skip(1).map(r -> r.get(3)).collect(Collectors.groupingBy(v -> v, Collectors.counting()));
    }

    long receiptsWithStage(String stage) {
        return kafka.read("receipt-status").stream().filter(n -> stage.equals(n.path("stage").asText()))
                .map(n -> n.path("receiptId").asText()).distinct().count();
    }

    @Test
    void twoReplicasTwoUsersAndRebalancesWriteEveryRowExactlyOnce() throws Exception {
        assertThat(partition(CAROL)).as("the two users' receipts go to different partitions").isNotEqualTo(partition(DAVE));
        SinkProcess one = replica("replica-1");
        for (int i = 0; i < 5; i++) {
            send(CAROL);
            send(DAVE);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> receiptsWithStage("WRITTEN") == 10);

        // A second replica joins while receipts keep arriving: a rebalance in the middle of the work
        ScheduledExecutorService producer = Executors.newSingleThreadScheduledExecutor();
        AtomicInteger flowing = new AtomicInteger();
        producer.scheduleAtFixedRate(() -> send(flowing.getAndIncrement() % 2 == 0 ? CAROL : DAVE), 0, 150, TimeUnit.MILLISECONDS);
        SinkProcess two = replica("replica-2");
        producer.shutdown();
        assertThat(producer.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        await().atMost(Duration.ofSeconds(90)).until(() -> receiptsWithStage("WRITTEN") == sent.get());
        long carolsSoFar = ownerOf.values().stream().filter(CAROL::equals).count();
        for (SinkProcess replica : List.of(one, two)) {
            // Each replica holds the whole ledger, so either serves the same table
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    KafkaProbe.JSON.readTree(SinkCrashIT.get(replica, "/api/receipts?owner=" + CAROL)).size() == carolsSoFar);
        }

        // The replica writing carol's receipts leaves while Google holds its append (applied, unanswered)
        FakeSheets.HeldWrite held = fake.holdNextWrite();
        send(CAROL);
        assertThat(held.awaitArrival(Duration.ofSeconds(60))).isTrue();
        String carolsWriter = pendingWriterOf(String.format("two-%03d", sent.get()));
        SinkProcess leaving = carolsWriter.equals("replica-1") ? one : two;
        SinkProcess staying = leaving == one ? two : one;
        leaving.close();
        held.release();
        for (int i = 0; i < 5; i++) {
            send(CAROL);
            send(DAVE);
        }

        // Every receipt WRITTEN, each in its owner's sheet exactly once, none a DUPLICATE of itself
        await().atMost(Duration.ofSeconds(120)).until(() -> receiptsWithStage("WRITTEN") == sent.get());
        for (String owner : List.of(CAROL, DAVE)) {
            long mine = ownerOf.values().stream().filter(owner::equals).count();
            assertThat(rowsPerVendor(owner)).as(owner).hasSize((int) mine).allSatisfy((vendor, count) -> assertThat(count).as(vendor).isEqualTo(1L));
            await().atMost(Duration.ofSeconds(30)).until(() -> KafkaProbe.JSON.readTree(SinkCrashIT.get(staying, "/api/receipts?owner=" + owner)).size() == mine);
        }
        assertThat(receiptsWithStage("DUPLICATE")).isZero();
        assertThat(receiptsWithStage("FAILED")).isZero();
    }

    /** The replica named in the receipt's PENDING ledger entry. */
    String pendingWriterOf(String receiptId) {
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.read("sheets-ledger").stream()
                .anyMatch(n -> receiptId.equals(n.path("receiptId").asText()) && "PENDING".equals(n.path("state").asText())));
        JsonNode pending = kafka.read("sheets-ledger").stream()
                .filter(n -> receiptId.equals(n.path("receiptId").asText()) && "PENDING".equals(n.path("state").asText()))
                .findFirst().orElseThrow();
        return pending.at("/writer/instance").asText();
    }

    static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % 3;
    }
}
