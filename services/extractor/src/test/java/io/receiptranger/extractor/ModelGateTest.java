package io.receiptranger.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.receiptranger.extractor.ai.CircuitBreaker;

/** RANGER_MODEL_CONCURRENCY is an explicit cap on model calls in flight. */
class ModelGateTest {

    @Test
    void noMoreThanTheConfiguredNumberOfCallsRunAtOnce() throws Exception {
        // Given a gate of 3 permits and 12 callers that each hold the model for a while
        ModelGate gate = new ModelGate(3, new CircuitBreaker(3, Duration.ofSeconds(1)), new SimpleMeterRegistry());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxSeen = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        List<Future<Integer>> calls = new ArrayList<>();

        // When they all call at once
        for (int i = 0; i < 12; i++) {
            calls.add(pool.submit(() -> gate.withPermit(() -> {
                maxSeen.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(30);
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                return inFlight.decrementAndGet();
            })));
        }
        for (Future<Integer> call : calls) {
            call.get(10, TimeUnit.SECONDS);
        }
        pool.shutdown();

        // Then at most 3 ran together, and the cap was actually reached
        assertThat(maxSeen.get()).isEqualTo(3);
    }
}
