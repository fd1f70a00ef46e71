package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.sheets.messaging.ExtractionConsumer;
import io.receiptranger.sheets.messaging.PartitionClaims;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecordBatch;
import io.smallrye.reactive.messaging.kafka.commit.KafkaCommitHandler;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;

/**
 * The sink's consumer between the connector's polls and the writes:
 * <ul>
 *   <li>Polls that arrive while a write is in progress are written together in the next write, not
 *       one write each: under a steady flow each poll holds a record or two, and a write a poll would
 *       spend the Google quota a row or two at a time until the sink lags behind. Once the quota is
 *       being spent, a write also gathers first ({@code SheetsConnection#gather}, computed by
 *       {@code QuotaPacer#gather}, tested in {@code QuotaPacerTest}).</li>
 *   <li>A poll mixes partitions. When a rebalance moves one of them while its batch is being written,
 *       the records of the partitions this replica still holds are written all the same; only the
 *       moved partition's are left, unacknowledged, to its new holder. Left too, they would never come
 *       again to this consumer (its position is past them) and their receipts would wait for a restart.</li>
 * </ul>
 */
class ExtractionConsumerTest {

    private static final TopicPartition HELD = new TopicPartition("extractions", 0);
    private static final TopicPartition MOVED = new TopicPartition("extractions", 2);

    private final RecordingSink sink = new RecordingSink();
    private final List<String> acked = new CopyOnWriteArrayList<>();
    private final List<String> nacked = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        sink.start();
    }

    @AfterEach
    void stop() {
        sink.stop();
    }

    @Test
    void theRecordsOfPartitionsStillHeldAreWrittenAndOnlyTheMovedOnesAreLeft() throws Exception {
        // Given a replica that holds partition 0 and has just lost partition 2
        PartitionClaims claims = new PartitionClaims(RecordingSink.ME);
        MockConsumer<String, String> consumer = new MockConsumer<>("earliest");
        claims.onPartitionsAssigned(consumer, List.of(HELD, MOVED));
        claims.onPartitionsRevoked(consumer, List.of(MOVED));
        ExtractionConsumer extractions = new ExtractionConsumer(sink.recorder, claims, new ObjectMapper(),
                new SimpleMeterRegistry(), OpenTelemetry.noop(), () -> Duration.ZERO, 200);

        // When a batch polled before the rebalance, one receipt from each partition, is handled
        extractions.consume(batch(record(HELD, 7, "kept-1", "Held Vendor"), record(MOVED, 3, "moved-1", "Moved Vendor")))
                .toCompletableFuture().get(30, TimeUnit.SECONDS);
        // (the delivery is taken at once; the write follows on the sink's worker)
        await().atMost(Duration.ofSeconds(30)).until(() -> !acked.isEmpty());

        // Then the held partition's receipt is in the sheet and acknowledged; the moved one's is neither
        // (it may show WRITING: that stage went out before the fence stopped the write; its new holder ends it)
        assertThat(sink.fake.formattedRows(RecordingSink.SHEET, "January 2026")).extracting(row -> row.get(3))
                .containsExactly("Vendor", "Held Vendor");
        assertThat(sink.last("kept-1").stage()).isEqualTo("WRITTEN");
        assertThat(sink.stagesOf("moved-1")).doesNotContain("WRITTEN", "DUPLICATE", "FAILED");
        assertThat(acked).containsExactly("kept-1");
        assertThat(nacked).isEmpty();
    }

    @Test
    void pollsThatArriveDuringAWriteAreWrittenTogetherInTheNextOne() throws Exception {
        // Given a sink whose first write, of one receipt, is held at Google
        PartitionClaims claims = new PartitionClaims(RecordingSink.ME);
        claims.onPartitionsAssigned(new MockConsumer<>("earliest"), List.of(HELD));
        ExtractionConsumer extractions = new ExtractionConsumer(sink.recorder, claims, new ObjectMapper(),
                new SimpleMeterRegistry(), OpenTelemetry.noop(), () -> Duration.ZERO, 200);
        FakeSheets.HeldWrite first = sink.fake.holdNextWrite();
        extractions.consume(batch(record(HELD, 1, "first", "Vendor One"))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThat(first.awaitArrival(Duration.ofSeconds(30))).isTrue();

        // When three more polls of one receipt each are delivered meanwhile, and Google answers the first write
        for (int i = 2; i <= 4; i++) {
            extractions.consume(batch(record(HELD, i, "next-" + i, "Vendor " + i))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        first.release();

        // Then all four are written, in order, with two writes: the first alone, the other three together
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() == 4);
        assertThat(sink.fake.formattedRows(RecordingSink.SHEET, "January 2026")).extracting(row -> row.get(3))
                .containsExactly("Vendor", "Vendor One", "Vendor 2", "Vendor 3", "Vendor 4");
        assertThat(List.of("first", "next-2", "next-3", "next-4")).allSatisfy(id -> assertThat(sink.last(id).stage()).isEqualTo("WRITTEN"));
        assertThat(sink.fake.writeRequests()).isEqualTo(2);
        assertThat(nacked).isEmpty();
    }

    @Test
    void onceTheQuotaIsBeingSpentAWriteGathersThePollsThatArriveMeanwhile() throws Exception {
        // Given a sink whose quota says: gather a while before the next write (the writer is idle)
        PartitionClaims claims = new PartitionClaims(RecordingSink.ME);
        claims.onPartitionsAssigned(new MockConsumer<>("earliest"), List.of(HELD));
        java.util.concurrent.CountDownLatch allDelivered = new java.util.concurrent.CountDownLatch(1);
        ExtractionConsumer extractions = new ExtractionConsumer(sink.recorder, claims, new ObjectMapper(),
                new SimpleMeterRegistry(), OpenTelemetry.noop(), () -> {
                    // The gathering ends once the three polls are in (a latch, not a clock: the test is about what joins)
                    try {
                        allDelivered.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Duration.ZERO;
                }, 200);

        // When three polls of one receipt each arrive while it gathers
        for (int i = 1; i <= 3; i++) {
            extractions.consume(batch(record(HELD, i, "spike-" + i, "Spike " + i))).toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        allDelivered.countDown();

        // Then one write carries all three
        await().atMost(Duration.ofSeconds(30)).until(() -> acked.size() == 3);
        assertThat(sink.fake.formattedRows(RecordingSink.SHEET, "January 2026")).extracting(row -> row.get(3))
                .containsExactly("Vendor", "Spike 1", "Spike 2", "Spike 3");
        assertThat(sink.fake.writeRequests()).isEqualTo(1);
    }

    private static ConsumerRecord<String, String> record(TopicPartition partition, long offset, String id, String vendor) {
        return new ConsumerRecord<>(partition.topic(), partition.partition(), offset, "default", """
                {"receiptId":"%s","batchId":"b-1","owner":"default","outcome":"EXTRACTED","reason":"",
                 "receipt":{"total":"12.00","currency":"USD","date":"2026-01-15","vendor":"%s","categories":["Other"],"paymentMethods":[]},
                 "extractedAt":"2026-11-28T22:00:00Z"}""".formatted(id, vendor));
    }

    @SafeVarargs
    private IncomingKafkaRecordBatch<String, String> batch(ConsumerRecord<String, String>... records) {
        Map<TopicPartition, List<ConsumerRecord<String, String>>> byPartition = new java.util.LinkedHashMap<>();
        for (ConsumerRecord<String, String> r : records) {
            byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), p -> new java.util.ArrayList<>()).add(r);
        }
        KafkaCommitHandler commits = new KafkaCommitHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record) {
                acked.add(receiptId(record));
                return Uni.createFrom().voidItem();
            }
        };
        KafkaFailureHandler failures = new KafkaFailureHandler() {
            @Override
            public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason,
                    org.eclipse.microprofile.reactive.messaging.Metadata metadata) {
                nacked.add(receiptId(record));
                return Uni.createFrom().voidItem();
            }
        };
        return new IncomingKafkaRecordBatch<>(new ConsumerRecords<>(byPartition, Map.of()), "extractions", 0, commits, failures, false, false);
    }

    private static String receiptId(IncomingKafkaRecord<?, ?> record) {
        String payload = String.valueOf(record.getPayload());
        int at = payload.indexOf("\"receiptId\":\"") + "\"receiptId\":\"".length();
        return payload.substring(at, payload.indexOf('"', at));
    }
}
