package io.receiptranger.ingest.web;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * Per-client upload budget: requests and bytes per minute, in fixed one-minute windows. Bytes are
 * the declared length when the request starts and what it really carried when it ends. Kept in
 * memory per replica (a load balancer's stickiness or its own limits cover the rest).
 */
@ApplicationScoped
public class RateLimiter {

    private static final long WINDOW_MS = 60_000;

    private final int maxRequests;
    private final long maxBytes;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    public RateLimiter(IngestConfig config) {
        this.maxRequests = config.upload().rateLimitRequestsPerMinute();
        this.maxBytes = config.upload().rateLimitBytesPerMinute();
    }

    /** Records one request of {@code bytes}; returns 0 when allowed, else the seconds to wait. */
    public long acquire(String client, long bytes, long nowMs) {
        if (maxRequests <= 0 && maxBytes <= 0) {
            return 0;
        }
        if (windows.size() > 10_000) {
            windows.values().removeIf(w -> nowMs - w.start >= WINDOW_MS);
        }
        Window w = windows.computeIfAbsent(client, c -> new Window(nowMs));
        synchronized (w) {
            if (nowMs - w.start >= WINDOW_MS) {
                w.start = nowMs;
                w.requests = 0;
                w.bytes = 0;
            }
            boolean overRequests = maxRequests > 0 && w.requests + 1 > maxRequests;
            // The first request of a window may be large; after it, nothing once the bytes are spent.
            boolean overBytes = maxBytes > 0 && w.requests > 0 && w.bytes + Math.max(0, bytes) > maxBytes;
            if (overRequests || overBytes) {
                return Math.max(1, (w.start + WINDOW_MS - nowMs + 999) / 1000);
            }
            w.requests++;
            w.bytes += Math.max(0, bytes);
            return 0;
        }
    }

    /** Bytes a request carried beyond what it declared (a chunked upload declares none), counted once it ended. */
    public void addBytes(String client, long bytes, long nowMs) {
        if (maxBytes <= 0 || bytes <= 0) {
            return;
        }
        Window w = windows.get(client);
        if (w == null) {
            return;
        }
        synchronized (w) {
            if (nowMs - w.start < WINDOW_MS) {
                w.bytes += bytes;
            }
        }
    }

    private static final class Window {
        long start;
        int requests;
        long bytes;

        Window(long start) {
            this.start = start;
        }
    }
}
