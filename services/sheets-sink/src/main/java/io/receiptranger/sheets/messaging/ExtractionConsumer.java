package io.receiptranger.sheets.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.quarkus.logging.Log;
import io.receiptranger.sheets.Fence;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.ReceiptExtracted;
import io.receiptranger.sheets.ReceiptRecorder;
import io.receiptranger.sheets.WriterFencedException;
import io.receiptranger.sheets.sheets.SheetsConnection;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;

/**
 * The sink's only entry: batches of {@code extractions} records, written by one worker thread. The
 * connector polls on while a write is in progress and hands over each poll as a batch of its own: a
 * few records each under a steady flow. Those batches wait here and the next write takes them all
 * together (up to {@code max.poll.records} records), so under load one Google read and one write carry
 * many rows instead of one or two, and the sink keeps up within its quota. Once that quota is being
 * spent (less than half the burst left, or the minute's window full), a write first gathers for as
 * long as {@link SheetsConnection#gather} says, so a spike does not spend its tokens a row at a time. While
 * {@code max.poll.records} records wait (the writer backs off on a 429 or a 5xx), no further batch is
 * taken and the connector pauses the partitions: consumption pauses, nothing fails. Each record is
 * acknowledged only once its receipt reached its outcome. A record that is not a
 * {@code ReceiptExtracted}, or whose amounts are not plain decimals ({@code 1e999999999}), is nacked
 * alone and goes to {@code extractions-dlq}; when its {@code receiptId} can still be read, that
 * receipt ends {@code FAILED} with the reason, so nobody waits for it. The records of a partition
 * that moved to another replica meanwhile ({@link PartitionClaims}) are left unacknowledged to its
 * new holder.
 */
@ApplicationScoped
public class ExtractionConsumer {

    public static final String CHANNEL = "extractions";
    static final String DLQ = "extractions-dlq";
    /** A batch fenced this many times running (rebalance after rebalance) waits for the next delivery. */
    static final int MAX_FENCED_ATTEMPTS = 3;

    private final ReceiptRecorder recorder;
    private final Supplier<Duration> gather;
    /** Records one write takes, and records that may wait before the connector is held: one poll's worth (max.poll.records). */
    private final int mostAtOnce;
    private final PartitionClaims claims;
    private volatile boolean stopping;
    /** Records delivered and not yet taken by a write, in delivery order; guarded by {@code this}. */
    private final ArrayDeque<KafkaRecord<String, String>> waiting = new ArrayDeque<>();
    /** The connector's deliveries held until fewer than {@code max.poll.records} records wait; guarded by {@code this}. */
    private final List<CompletableFuture<Void>> held = new ArrayList<>();
    /** Whether the worker is writing or about to; guarded by {@code this}. */
    private boolean draining;
    private final ObjectMapper json;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "sheets-sink-writer");
        t.setDaemon(true);
        return t;
    });

    private final Counter unreadable;
    private final Counter internalError;

    private final Tracer tracer;
    private final TextMapPropagator propagator;

    @Inject
    public ExtractionConsumer(ReceiptRecorder recorder, @Identifier(PartitionClaims.NAME) PartitionClaims claims, ObjectMapper json,
            MeterRegistry metrics, OpenTelemetry telemetry, SheetsConnection sheets,
            @ConfigProperty(name = "mp.messaging.incoming.extractions.max.poll.records", defaultValue = "200") int maxPollRecords) {
        this(recorder, claims, json, metrics, telemetry, sheets::gather, maxPollRecords);
    }

    /**
     * {@code gather}: how long the next write waits for more records before it takes them ({@link SheetsConnection#gather});
     * {@code mostAtOnce}: records one write takes at most.
     */
    public ExtractionConsumer(ReceiptRecorder recorder, PartitionClaims claims, ObjectMapper json, MeterRegistry metrics,
            OpenTelemetry telemetry, Supplier<Duration> gather, int mostAtOnce) {
        this.gather = gather;
        this.mostAtOnce = Math.max(1, mostAtOnce);
        this.recorder = recorder;
        this.claims = claims;
        this.json = json;
        this.tracer = telemetry.getTracer("io.receiptranger.sheets");
        this.propagator = telemetry.getPropagators().getTextMapPropagator();
        // ranger_dead_letters_total{topic,reason}: the same series the extractor has for receipts-dlq.
        this.unreadable = deadLetters(metrics, "unreadable_record");
        this.internalError = deadLetters(metrics, "internal_error");
    }

    private static Counter deadLetters(MeterRegistry metrics, String reason) {
        return Counter.builder("ranger.dead.letters").description("Records sent to a dead-letter topic, by reason")
                .tag("topic", DLQ).tag("reason", reason).register(metrics);
    }

    /**
     * Takes a poll's records into the waiting ones and starts the worker if it is idle. Answers at once
     * while fewer than {@code max.poll.records} records wait, so the next poll's records can join them;
     * otherwise when the worker has taken enough of them.
     */
    @Incoming(CHANNEL)
    public CompletionStage<Void> consume(KafkaRecordBatch<String, String> batch) {
        CompletableFuture<Void> room = new CompletableFuture<>();
        boolean start;
        synchronized (this) {
            waiting.addAll(batch.getRecords());
            if (waiting.size() < mostAtOnce) {
                room.complete(null);
            } else {
                held.add(room);
            }
            start = !draining;
            draining = true;
        }
        if (start) {
            try {
                worker.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // Stopping: what waits stays unacknowledged and is delivered again after the restart.
                room.complete(null);
            }
        }
        return room;
    }

    /** Writes what waits, all of it together (up to {@code max.poll.records} records a write), until nothing does. */
    private void drain() {
        try {
            while (!stopping) {
                // Once the Google quota is being spent, the records that arrive meanwhile join this write.
                Duration wait = gather.get();
                if (!wait.isZero()) {
                    TimeUnit.NANOSECONDS.sleep(wait.toNanos());
                }
                List<KafkaRecord<String, String>> records = new ArrayList<>();
                List<CompletableFuture<Void>> released = new ArrayList<>();
                synchronized (this) {
                    while (!waiting.isEmpty() && records.size() < mostAtOnce) {
                        records.add(waiting.poll());
                    }
                    if (waiting.size() < mostAtOnce) {
                        released.addAll(held);
                        held.clear();
                    }
                    if (records.isEmpty()) {
                        draining = false;
                        return;
                    }
                }
                released.forEach(r -> r.complete(null));
                write(records);
            }
        } catch (InterruptedException e) {
            // Stopping: what waits stays unacknowledged and is delivered again after the restart.
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                draining = false;
                held.forEach(r -> r.complete(null));
                held.clear();
            }
        }
    }

    /** One write of the records; what it could not settle is logged, and never stops the worker. */
    private void write(List<KafkaRecord<String, String>> records) {
        try {
            handle(records).whenComplete((done, failure) -> {
                if (failure != null) {
                    Log.warnf("Settling %d extraction record(s) failed: %s", records.size(), failure.getMessage());
                }
            });
        } catch (RuntimeException e) {
            Log.error("Could not handle a batch of extractions; dead-lettering it", e);
            records.forEach(r -> r.nack(e));
        }
    }

    private CompletionStage<Void> handle(List<KafkaRecord<String, String>> records) {
        Fence fence = claim(records);
        List<ReceiptExtracted> receipts = new ArrayList<>();
        List<KafkaRecord<String, String>> good = new ArrayList<>();
        List<CompletableFuture<Void>> settled = new ArrayList<>();
        for (KafkaRecord<String, String> record : records) {
            try {
                receipts.add(parse(record.getPayload()));
                good.add(record);
            } catch (Unreadable e) {
                Log.warnf("Dead-lettering %s-%d: %s", record.getTopic(), record.getPartition(), e.getMessage());
                unreadable.increment();
                if (e.receipt != null) {
                    recorder.giveUp(List.of(e.receipt), "the extraction could not be used: " + e.getMessage()
                            + " (the record is in extractions-dlq)");
                }
                settled.add(record.nack(e).toCompletableFuture());
            }
        }
        // One span per receipt, in the trace its extraction carried in the record's headers: the
        // Sheets write of that receipt. The batch is written together, so the spans overlap.
        List<Span> spans = new ArrayList<>();
        for (int i = 0; i < good.size(); i++) {
            Context parent = propagator.extract(Context.root(), good.get(i).getHeaders(), HEADERS);
            spans.add(tracer.spanBuilder("sheets write").setParent(parent).setSpanKind(SpanKind.CONSUMER)
                    .setAttribute("ranger.receipt_id", receipts.get(i).receiptId()).startSpan());
        }
        try (Scope scope = spans.isEmpty() ? Scope.noop() : spans.get(0).makeCurrent()) {
            for (int attempt = 1;; attempt++) {
                try {
                    recorder.record(receipts, fence);
                    good.forEach(r -> settled.add(r.ack().toCompletableFuture()));
                    break;
                } catch (WriterFencedException e) {
                    // Rebalanced mid-batch. The records of a partition that moved are its new holder's: left
                    // unacknowledged (the connector forgets a revoked partition's offsets), they are delivered
                    // there. The records of partitions this replica still holds (a poll mixes partitions; an
                    // eager rebalance hands a partition back under a new generation) are written now, under a
                    // fresh claim: left unacknowledged, they would never come again to this consumer, whose
                    // position is past them, and would hold back their partition's commits until a restart.
                    // Writing them again is what a redelivery does: their PENDING entries are reconciled.
                    List<ReceiptExtracted> heldReceipts = new ArrayList<>();
                    List<KafkaRecord<String, String>> heldRecords = new ArrayList<>();
                    for (int i = 0; i < good.size(); i++) {
                        if (claims.holds(partitionOf(good.get(i)))) {
                            heldReceipts.add(receipts.get(i));
                            heldRecords.add(good.get(i));
                        }
                    }
                    Log.infof("Leaving %d extraction(s) to the new holder: %s", good.size() - heldRecords.size(), e.getMessage());
                    if (heldRecords.isEmpty() || attempt == MAX_FENCED_ATTEMPTS) {
                        if (!heldRecords.isEmpty()) {
                            Log.warnf("Still fenced after %d attempts: %d extraction(s) wait for the next rebalance or restart", attempt, heldRecords.size());
                        }
                        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
                    }
                    receipts = heldReceipts;
                    good = heldRecords;
                    fence = claim(good);
                }
            }
        } catch (RuntimeException e) {
            spans.forEach(s -> s.setStatus(StatusCode.ERROR, e.getClass().getSimpleName()));
            if (stopping || Thread.currentThread().isInterrupted()) {
                // Shutting down mid back-off: leave the batch unacknowledged, it is delivered again.
                Log.infof("Stopping: %d extraction(s) left for redelivery", good.size());
                return CompletableFuture.completedFuture(null);
            }
            Log.error("Could not handle a batch of extractions; dead-lettering it", e);
            recorder.giveUp(receipts, "the sheets-sink could not write this receipt (an internal error; the record is in extractions-dlq)");
            internalError.increment(good.size());
            good.forEach(r -> settled.add(r.nack(e).toCompletableFuture()));
        } finally {
            spans.forEach(Span::end);
        }
        return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
    }

    private Fence claim(List<? extends KafkaRecord<String, String>> records) {
        return claims.claim(records.stream().map(ExtractionConsumer::partitionOf).distinct().toList());
    }

    private static TopicPartition partitionOf(KafkaRecord<?, ?> record) {
        return new TopicPartition(record.getTopic(), record.getPartition());
    }

    /** Reads the W3C trace headers of a Kafka record. */
    private static final TextMapGetter<Headers> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Headers headers) {
            List<String> keys = new ArrayList<>();
            headers.forEach(h -> keys.add(h.key()));
            return keys;
        }

        @Override
        public String get(Headers headers, String key) {
            Header header = headers == null ? null : headers.lastHeader(key);
            return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
        }
    };

    ReceiptExtracted parse(String payload) {
        if (payload == null) {
            throw new Unreadable("empty record", null);
        }
        ReceiptExtracted extracted;
        try {
            extracted = json.readValue(payload, ReceiptExtracted.class);
        } catch (JsonProcessingException e) {
            throw new Unreadable("not a ReceiptExtracted: " + e.getOriginalMessage(), identity(payload));
        }
        if (extracted == null || extracted.receiptId() == null || extracted.receiptId().isBlank() || extracted.outcome() == null) {
            throw new Unreadable("not a ReceiptExtracted: receiptId and outcome are required",
                    extracted == null || extracted.receiptId() == null || extracted.receiptId().isBlank() ? null : stub(extracted));
        }
        ReceiptExtracted.Receipt r = extracted.receipt();
        if (r != null) {
            for (String[] amount : new String[][] { { "total", r.total() }, { "subtotal", r.subtotal() }, { "tax", r.tax() },
                    { "tip", r.tip() } }) {
                String value = amount[1] == null ? "" : amount[1].trim().replace("$", "").replace(",", "").replace(" ", "");
                if (!value.isEmpty() && !Normalize.plainAmount(value)) {
                    throw new Unreadable("its " + amount[0] + " \"" + shorten(amount[1])
                            + "\" is not a plain decimal amount such as 25.50", stub(extracted));
                }
            }
        }
        return extracted;
    }

    /** The ids of a record that is not a whole {@code ReceiptExtracted}, when it is JSON with a receiptId. */
    private ReceiptExtracted identity(String payload) {
        try {
            JsonNode node = json.readTree(payload);
            String id = node == null ? null : node.path("receiptId").asText(null);
            if (id == null || id.isBlank() || id.length() > 200) {
                return null;
            }
            return new ReceiptExtracted(id, node.path("batchId").asText(null), node.path("owner").asText(null),
                    node.path("fileName").asText(null), null, ReceiptExtracted.EXTRACTED, null, null, null);
        } catch (JsonProcessingException | RuntimeException e) {
            return null;
        }
    }

    /** The receipt's identity only, to end it FAILED: nothing of its unreadable content is kept. */
    private static ReceiptExtracted stub(ReceiptExtracted e) {
        return new ReceiptExtracted(e.receiptId(), e.batchId(), e.owner(), e.fileName(), e.sha256(),
                ReceiptExtracted.EXTRACTED, null, null, e.extractedAt());
    }

    private static String shorten(String s) {
        return s.length() > 24 ? s.substring(0, 24) + "…" : s;
    }

    /** A record the sink cannot use; {@code receipt} is what is known of its receipt, or null. */
    static final class Unreadable extends IllegalArgumentException {
        final transient ReceiptExtracted receipt;

        Unreadable(String message, ReceiptExtracted receipt) {
            super(message);
            this.receipt = receipt;
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        worker.shutdownNow();
    }
}
