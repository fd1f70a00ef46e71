package io.receiptranger.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

import io.receiptranger.ingest.config.IngestConfig;

class OriginsAndRateLimitTest {

    static IngestConfig config(Optional<List<String>> origins, int requests, long bytes) {
        IngestConfig config = Mockito.mock(IngestConfig.class, Mockito.RETURNS_DEEP_STUBS);
        Mockito.when(config.allowedOrigins()).thenReturn(origins);
        Mockito.when(config.upload().rateLimitRequestsPerMinute()).thenReturn(requests);
        Mockito.when(config.upload().rateLimitBytesPerMinute()).thenReturn(bytes);
        return config;
    }

    @Test
    void byDefaultOnlyTheIngestsOwnOriginIsAllowed() {
        Origins origins = new Origins(config(Optional.empty(), 0, 0));

        assertThat(origins.allowed("http://localhost:8080", "localhost:8080")).isTrue();
        assertThat(origins.allowed(null, "localhost:8080")).isTrue();
        assertThat(origins.allowed("https://evil.example", "localhost:8080")).isFalse();
        assertThat(origins.allowed("null", "localhost:8080")).isFalse();
    }

    @Test
    void configuredOriginsReplaceTheDefault() {
        Origins origins = new Origins(config(Optional.of(List.of("https://receipts.example.com/")), 0, 0));

        assertThat(origins.allowed("https://receipts.example.com", "ingest:8080")).isTrue();
        assertThat(origins.allowed("http://ingest:8080", "ingest:8080")).isFalse();
    }

    @Test
    void requestsAndBytesPerMinuteAreLimitedPerClient() {
        RateLimiter limiter = new RateLimiter(config(Optional.empty(), 2, 1000));

        assertThat(limiter.acquire("a", 10, 0)).isZero();
        assertThat(limiter.acquire("a", 10, 1000)).isZero();
        assertThat(limiter.acquire("a", 10, 2000)).isEqualTo(58);
        assertThat(limiter.acquire("b", 10, 2000)).isZero();
        assertThat(limiter.acquire("b", 5000, 3000)).isEqualTo(59);
        assertThat(limiter.acquire("a", 10, 61_000)).isZero();
    }
}
