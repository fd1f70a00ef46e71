package io.receiptranger.ingest.ops;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.receiptranger.ingest.Stage;
import io.receiptranger.ingest.view.StageObserver;

/**
 * The pipeline as the ingest's views see it, from the event timestamps of the three topics:
 * {@code ranger_receipts_terminal_total{stage}}, {@code ranger_receipt_duration_seconds{stage}}
 * (upload → terminal stage), {@code ranger_receipt_stage_seconds{stage}} (time spent in a stage),
 * and, for the ops view, the receipts that reached each stage in each of the last 60 minutes.
 *
 * <p>Every ingest replica reads every topic, so every replica counts every receipt: the dashboard
 * and the alerts take {@code max} across instances, never {@code sum}. Only changes whose event time
 * is after this process started are counted, so a replica that replays seven days of topics at
 * startup does not report them as happening now.
 */
@ApplicationScoped
// Created at startup, not on the first stage change: its series are there at 0 before the first
// receipt, so rate() sees a fresh replica's first receipts (a batch that ended between two scrapes
// used to appear at its final count, a rate of 0).
@io.quarkus.runtime.Startup
public class PipelineMetrics implements StageObserver {

    static final Duration[] BUCKETS = {Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
            Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10), Duration.ofMinutes(30), Duration.ofHours(1)};
    private static final int MINUTES = 60;
    /** The services that end receipts FAILED (CONTRACT §2). */
    static final java.util.List<String> SERVICES = java.util.List.of("ingest", "extractor", "sheets-sink");

    private final Clock clock;
    private final Instant startedAt;
    private final Map<Stage, Counter> terminal = new EnumMap<>(Stage.class);
    private final Map<Stage, Timer> endToEnd = new EnumMap<>(Stage.class);
    private final Map<Stage, Timer> inStage = new EnumMap<>(Stage.class);
    /** Per stage (and per "FAILED by service"), a ring of per-minute counts; {@code minuteOf} says which minute each slot holds. */
    private final Map<String, AtomicLongArray> perMinute = new java.util.HashMap<>();
    private final long[] minuteOf = new long[MINUTES];
    private final Map<String, Failure> lastFailure = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    public PipelineMetrics(MeterRegistry registry) {
        // The process's start, not this bean's.
        this(registry, Clock.systemUTC(), Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime()));
    }

    PipelineMetrics(MeterRegistry registry, Clock clock) {
        this(registry, clock, clock.instant());
    }

    private PipelineMetrics(MeterRegistry registry, Clock clock, Instant startedAt) {
        this.clock = clock;
        this.startedAt = startedAt;
        for (String service : SERVICES) {
            perMinute.put(failedBy(service), new AtomicLongArray(MINUTES));
        }
        for (Stage stage : Stage.values()) {
            perMinute.put(stage.name(), new AtomicLongArray(MINUTES));
            if (stage.terminal()) {
                terminal.put(stage, Counter.builder("ranger.receipts.terminal")
                        .description("Receipts that reached a terminal stage").tag("stage", stage.name()).register(registry));
                endToEnd.put(stage, Timer.builder("ranger.receipt.duration")
                        .description("From upload to the terminal stage (event timestamps)").tag("stage", stage.name())
                        .serviceLevelObjectives(BUCKETS).register(registry));
            } else {
                inStage.put(stage, Timer.builder("ranger.receipt.stage")
                        .description("Time a receipt spent in a stage before the next one (event timestamps)")
                        .tag("stage", stage.name()).serviceLevelObjectives(BUCKETS).register(registry));
            }
        }
    }

    /** The latest FAILED a service reported: what it said, and when. */
    public record Failure(String detail, Instant at) {
    }

    @Override
    public void moved(String receiptId, Stage from, Instant fromAt, Stage to, Instant toAt, Instant firstAt, String service,
            String detail) {
        if (toAt == null || toAt.isBefore(startedAt)) {
            return;
        }
        countMinute(to.name(), toAt);
        if (to == Stage.FAILED && SERVICES.contains(service)) {
            countMinute(failedBy(service), toAt);
            lastFailure.merge(service, new Failure(detail, toAt), (old, now) -> now.at().isAfter(old.at()) ? now : old);
        }
        if (from != null && fromAt != null && !from.terminal()) {
            record(inStage.get(from), fromAt, toAt);
        }
        if (to.terminal()) {
            terminal.get(to).increment();
            if (firstAt != null) {
                record(endToEnd.get(to), firstAt, toAt);
            }
            // One line per receipt and replica: what CloudWatch counts on ECS (TerminalReceipts).
            Log.infof("receipt %s reached its terminal stage %s after %d ms", receiptId, to,
                    firstAt == null ? -1 : Duration.between(firstAt, toAt).toMillis());
        }
    }

    /** How many receipts reached each stage in the last hour (event time), for the ops view. */
    public Map<Stage, Long> lastHour() {
        Map<Stage, Long> counts = new LinkedHashMap<>();
        for (Stage stage : Stage.values()) {
            counts.put(stage, lastHour(stage.name()));
        }
        return counts;
    }

    /** How many receipts {@code service} ended FAILED in the last hour. */
    public long failedLastHour(String service) {
        return SERVICES.contains(service) ? lastHour(failedBy(service)) : 0;
    }

    private long lastHour(String key) {
        long now = minute(clock.instant());
        long sum = 0;
        synchronized (minuteOf) {
            AtomicLongArray ring = perMinute.get(key);
            for (int i = 0; i < MINUTES; i++) {
                if (now - minuteOf[i] < MINUTES) {
                    sum += ring.get(i);
                }
            }
        }
        return sum;
    }

    private static String failedBy(String service) {
        return "FAILED@" + service;
    }

    /** Per service, the latest FAILED it reported since this process started. */
    public Map<String, Failure> lastFailures() {
        return Map.copyOf(lastFailure);
    }

    private void countMinute(String key, Instant at) {
        long minute = minute(at);
        if (minute(clock.instant()) - minute >= MINUTES) {
            return;
        }
        int slot = (int) Math.floorMod(minute, (long) MINUTES);
        synchronized (minuteOf) {
            if (minuteOf[slot] != minute) {
                // The slot still holds an hour-old minute: start it over for every stage.
                minuteOf[slot] = minute;
                perMinute.values().forEach(ring -> ring.set(slot, 0));
            }
            perMinute.get(key).incrementAndGet(slot);
        }
    }

    private static long minute(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 60L);
    }

    private static void record(Timer timer, Instant from, Instant to) {
        Duration d = Duration.between(from, to);
        if (!d.isNegative()) {
            timer.record(d);
        }
    }
}
