package io.receiptranger.sheets.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The quota pacing with a fake clock: no call waits that need not, no minute holds more than the quota. */
class QuotaPacerTest {

    static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final long MINUTE = TimeUnit.MINUTES.toNanos(1);

    long now = 1_000 * SECOND;
    final List<Long> starts = new ArrayList<>();
    final QuotaPacer pacer = new QuotaPacer(60, 10, () -> now, nanos -> now += nanos);

    void call() {
        pacer.acquire();
        starts.add(now);
    }

    @Test
    void anIdleSinkCallsAtOnce() {
        call();
        call();

        assertThat(starts).containsExactly(1_000 * SECOND, 1_000 * SECOND);
    }

    @Test
    void pastTheBurstCallsAreSpacedByTheMinutesShare() {
        for (int i = 0; i < 13; i++) {
            call();
        }

        assertThat(starts.subList(0, 10)).allSatisfy(t -> assertThat(t).isEqualTo(1_000 * SECOND));
        assertThat(starts.get(10) - starts.get(9)).isEqualTo(SECOND);
        assertThat(starts.get(12) - starts.get(11)).isEqualTo(SECOND);
    }

    @Test
    void noSixtySecondsEverHoldMoreThanTheQuota() {
        // Bursts, pauses and steady load mixed, as batches come
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < (round % 3 == 0 ? 25 : 3); i++) {
                call();
            }
            now += (round % 5) * 7 * SECOND;
        }

        for (int i = 0; i < starts.size(); i++) {
            long from = starts.get(i);
            long inWindow = starts.stream().filter(t -> t >= from && t < from + MINUTE).count();
            assertThat(inWindow).as("calls in the minute from call %d", i).isLessThanOrEqualTo(60);
        }
        assertThat(starts).isSorted();
    }

    @Test
    void aBatchGathersNothingWhileHalfTheBurstIsLeftThenLongerAsTheBucketEmpties() {
        // Given a burst of 10: five calls leave half of it
        for (int i = 0; i < 5; i++) {
            call();
        }
        assertThat(pacer.gather()).isZero();

        // When it is spent further, the next batch gathers longer, up to one refill interval (1 s)
        call();
        long fourLeft = pacer.gather();
        for (int i = 0; i < 4; i++) {
            call();
        }
        long noneLeft = pacer.gather();

        assertThat(fourLeft).isEqualTo(SECOND / 5);
        assertThat(noneLeft).isEqualTo(SECOND);
        // and a quiet spell that refills the bucket ends the gathering again
        now += 10 * SECOND;
        assertThat(pacer.gather()).isZero();
    }

    @Test
    void aBatchGathersUntilTheMinutesWindowHasRoomAgain() {
        // Given a bucket as big as the quota, all of it spent at once: the window of 60 s is full
        QuotaPacer wide = new QuotaPacer(60, 60, () -> now, nanos -> now += nanos);
        for (int i = 0; i < 60; i++) {
            wide.acquire();
        }
        now += 20 * SECOND;

        // Then the next batch gathers until the first of those calls is a minute old, not just a token's interval
        assertThat(wide.gather()).isEqualTo(40 * SECOND);
    }

    @Test
    void aFullBucketAfterAQuietMinuteCallsAtOnceAgain() {
        for (int i = 0; i < 60; i++) {
            call();
        }
        now += 2 * MINUTE;
        long quietUntil = now;

        call();

        assertThat(starts.get(starts.size() - 1)).isEqualTo(quietUntil);
    }

    @Test
    void sustainedLoadGetsTheWholeQuotaAndNoMore() {
        for (int i = 0; i < 600; i++) {
            call();
        }

        // The 61st call is never within a minute of the 1st, and 600 calls take no longer than 10 minutes
        for (int i = 0; i + 60 < starts.size(); i++) {
            assertThat(starts.get(i + 60) - starts.get(i)).as("call %d to %d", i, i + 60).isGreaterThanOrEqualTo(MINUTE);
        }
        assertThat(starts.get(starts.size() - 1) - starts.get(0)).isLessThanOrEqualTo(10 * MINUTE);
    }

    @Test
    void zeroMeansUnpaced() {
        QuotaPacer unpaced = new QuotaPacer(0, 10, () -> now, nanos -> now += nanos);
        for (int i = 0; i < 100; i++) {
            unpaced.acquire();
        }

        assertThat(now).isEqualTo(1_000 * SECOND);
    }
}
