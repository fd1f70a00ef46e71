package io.receiptranger.extractor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.AdaptiveConcurrency.Outcome;
import io.receiptranger.extractor.AdaptiveConcurrency.Permit;

/** The AIMD limit with a fake clock: rounds of calls as a busy extractor makes them. */
class AdaptiveConcurrencyTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    long now;
    final AdaptiveConcurrency limit = new AdaptiveConcurrency(4, 16, 2.0, () -> now);

    /** One round: as many calls as the limit allows start together and end after {@code latency}, each with {@code outcome}. */
    void round(long latency, Outcome outcome) throws InterruptedException {
        List<Permit> permits = new ArrayList<>();
        for (int i = limit.limit(); i > 0; i--) {
            permits.add(limit.acquire());
        }
        now += latency;
        permits.forEach(p -> limit.release(p, outcome));
    }

    @Test
    void itStartsAtTheConfiguredConcurrency() {
        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void itGrowsRoundByRoundWhileLatencyIsFlat() throws InterruptedException {
        List<Integer> limits = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            round(SECOND, Outcome.ANSWERED);
            limits.add(limit.limit());
        }

        assertThat(limits).isSorted();
        assertThat(limit.limit()).isBetween(8, 12);
    }

    @Test
    void itNeverGrowsPastTheMaximum() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            round(SECOND, Outcome.ANSWERED);
        }

        assertThat(limit.limit()).isEqualTo(16);
    }

    @Test
    void a429HalvesItOnceForTheWholeRound() throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            round(SECOND, Outcome.ANSWERED);
        }

        round(SECOND, Outcome.RATE_LIMITED);

        assertThat(limit.limit()).as("16 calls refused at once are one signal, not 16").isEqualTo(8);
    }

    @Test
    void aLatencyRiseHalvesItAndFlatLatencyThenGrowsItBack() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            round(SECOND, Outcome.ANSWERED);
        }
        int before = limit.limit();

        round(3 * SECOND, Outcome.ANSWERED);
        int afterRise = limit.limit();
        for (int i = 0; i < 6; i++) {
            round(SECOND, Outcome.ANSWERED);
        }

        assertThat(before).isGreaterThanOrEqualTo(8);
        assertThat(afterRise).isEqualTo(before / 2);
        assertThat(limit.limit()).isGreaterThan(afterRise);
    }

    @Test
    void slowerAnswersNeverTakeItBelowTheConfiguredConcurrencyButA429Does() throws InterruptedException {
        // Given a model that answered at once, then answers take a second (a bigger receipt, a busier hour)
        for (int i = 0; i < 5; i++) {
            round(SECOND / 100, Outcome.ANSWERED);
        }
        for (int i = 0; i < 10; i++) {
            round(SECOND, Outcome.ANSWERED);
        }
        assertThat(limit.limit()).as("latency alone: back to RANGER_MODEL_CONCURRENCY, no lower").isGreaterThanOrEqualTo(4);

        round(SECOND, Outcome.RATE_LIMITED);

        assertThat(limit.limit()).as("the provider said too many").isLessThan(4);
    }

    @Test
    void itNeverGoesBelowOne() throws InterruptedException {
        for (int i = 0; i < 10; i++) {
            round(SECOND, Outcome.RATE_LIMITED);
        }

        assertThat(limit.limit()).isEqualTo(1);
    }

    @Test
    void failuresThatSayNothingAboutLoadLeaveItAlone() throws InterruptedException {
        round(SECOND, Outcome.FAILED);
        round(SECOND, Outcome.FAILED);

        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void anUnusedLimitDoesNotGrow() throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            Permit one = limit.acquire();
            now += SECOND;
            limit.release(one, Outcome.ANSWERED);
        }

        assertThat(limit.limit()).isEqualTo(4);
    }

    @Test
    void itTracksAProviderWhoseRateLimitChanges() throws InterruptedException {
        // A provider that admits 6 calls at once, then 12, then 3: 429 beyond that
        for (int admits : new int[] {6, 12, 3}) {
            for (int i = 0; i < 40; i++) {
                List<Permit> permits = new ArrayList<>();
                for (int n = limit.limit(); n > 0; n--) {
                    permits.add(limit.acquire());
                }
                now += SECOND;
                for (int n = 0; n < permits.size(); n++) {
                    limit.release(permits.get(n), n < admits ? Outcome.ANSWERED : Outcome.RATE_LIMITED);
                }
            }
            assertThat(limit.limit()).as("limit with a provider admitting %d", admits).isBetween(admits / 2, admits + 1);
        }
    }

    @Test
    void aWorkerThatAsksAgainQueuesBehindTheOnesAlreadyWaiting() throws Exception {
        AdaptiveConcurrency one = new AdaptiveConcurrency(1, 1, 2.0, () -> now);
        List<String> granted = new CopyOnWriteArrayList<>();
        Permit busy = one.acquire();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                Permit permit = one.acquire();
                granted.add("waiting since before");
                one.release(permit, Outcome.ANSWERED);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> one.waiting() == 1);

        // The worker whose call just ended asks again at once: it must not take the slot it freed.
        one.release(busy, Outcome.ANSWERED);
        Permit again = one.acquire();
        granted.add("asked again");

        assertThat(granted).containsExactly("waiting since before", "asked again");
        waiter.get(5, TimeUnit.SECONDS);
        one.release(again, Outcome.ANSWERED);
        assertThat(one.inFlight()).isZero();
    }

    @Test
    void anInterruptedWaiterLeavesTheQueueAndTheNextOneIsServed() throws Exception {
        AdaptiveConcurrency one = new AdaptiveConcurrency(1, 1, 2.0, () -> now);
        Permit busy = one.acquire();
        Thread first = new Thread(() -> {
            try {
                one.acquire();
            } catch (InterruptedException e) {
                // expected: it gave up waiting
            }
        });
        first.start();
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> one.waiting() == 1);
        CompletableFuture<Permit> second = CompletableFuture.supplyAsync(() -> {
            try {
                return one.acquire();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> one.waiting() == 2);

        first.interrupt();
        first.join(5000);
        await().atMost(java.time.Duration.ofSeconds(5)).until(() -> one.waiting() == 1);
        one.release(busy, Outcome.ANSWERED);

        one.release(second.get(5, TimeUnit.SECONDS), Outcome.ANSWERED);
        assertThat(one.waiting()).isZero();
        assertThat(one.inFlight()).isZero();
    }
}
