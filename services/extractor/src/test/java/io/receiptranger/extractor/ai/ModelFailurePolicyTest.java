package io.receiptranger.extractor.ai;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;

import dev.langchain4j.exception.HttpException;
import io.receiptranger.extractor.ai.FailureClassifier.Kind;

class ModelFailurePolicyTest {

    @Test
    void rateLimitsServerErrorsAndTimeoutsAreTransient() {
        assertThat(FailureClassifier.classify(new HttpException(429, "{\"error\":{\"code\":\"rate_limit_exceeded\"}}")).kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.classify(new RuntimeException(new HttpException(503, "busy"))).kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.classify(new RuntimeException(new java.util.concurrent.TimeoutException())).kind())
                .isEqualTo(Kind.TRANSIENT);
        assertThat(FailureClassifier.classify(new RuntimeException(new java.net.ConnectException("refused"))).kind())
                .isEqualTo(Kind.TRANSIENT);
    }

    @Test
    void retryAfterIsReadFromTheCapturedHeader() {
        FailureClassifier.Failure failure = FailureClassifier.classify(new HttpException(429, "[retry-after=2.5] {}"));
        assertThat(failure.retryAfter()).contains(Duration.ofMillis(2500));
        assertThat(FailureClassifier.classify(new HttpException(429, "{}")).retryAfter()).isEmpty();
    }

    @Test
    void quotaKeyAndBadRequestsAreFatal() {
        FailureClassifier.Failure quota = FailureClassifier.classify(
                new HttpException(429, "{\"error\":{\"type\":\"insufficient_quota\",\"code\":\"insufficient_quota\"}}"));
        assertThat(quota.kind()).isEqualTo(Kind.FATAL);
        assertThat(quota.reason()).contains("insufficient_quota");
        assertThat(FailureClassifier.classify(new HttpException(401, "bad key")).reason()).contains("OPENAI_API_KEY");
        FailureClassifier.Failure bad = FailureClassifier.classify(
                new HttpException(400, "{\"error\":{\"message\":\"Invalid image.\"}}"));
        assertThat(bad.kind()).isEqualTo(Kind.FATAL);
        assertThat(bad.reason()).contains("Invalid image.");
    }

    @Test
    void unparseableAnswersAreGarbage() {
        assertThat(FailureClassifier.classify(new RuntimeException(new JsonParseException(null, "bad"))).kind())
                .isEqualTo(Kind.GARBAGE);
        assertThat(FailureClassifier.classify(new IllegalStateException("empty answer")).kind()).isEqualTo(Kind.GARBAGE);
    }

    @Test
    void backoffIsExponentialWithFullJitterAndCapped() {
        for (int i = 0; i < 200; i++) {
            assertThat(ModelClient.backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 1).toMillis()).isBetween(10L, 100L);
            assertThat(ModelClient.backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 3).toMillis()).isBetween(10L, 400L);
            assertThat(ModelClient.backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 30).toMillis()).isBetween(10L, 1000L);
        }
    }

    @Test
    void theBreakerOpensAfterConsecutiveFailuresAndClosesOnSuccess() throws InterruptedException {
        CircuitBreaker breaker = new CircuitBreaker(3, Duration.ofMillis(200));
        List<CircuitBreaker.State> seen = new ArrayList<>();
        breaker.onStateChange(seen::add);

        breaker.recordFailure();
        breaker.recordFailure();
        breaker.recordSuccess();
        breaker.recordFailure();
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);

        // An open breaker makes callers wait, at most until their deadline
        long start = System.nanoTime();
        assertThat(breaker.awaitPermission(System.nanoTime() + Duration.ofMillis(50).toNanos())).isFalse();
        assertThat(breaker.awaitPermission(Long.MAX_VALUE)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.HALF_OPEN);

        // A failed trial re-opens it; a successful one closes it
        breaker.recordFailure();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.OPEN);
        breaker.recordSuccess();
        assertThat(breaker.state()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(seen).containsExactly(CircuitBreaker.State.OPEN, CircuitBreaker.State.HALF_OPEN,
                CircuitBreaker.State.OPEN, CircuitBreaker.State.CLOSED);
    }
}
