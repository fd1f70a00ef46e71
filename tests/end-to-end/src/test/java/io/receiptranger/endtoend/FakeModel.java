package io.receiptranger.endtoend;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A fake OpenAI-compatible model provider as its own process (the benchmarks' model): every chat
 * completion answers after a fixed latency with a valid receipt reading whose vendor is new each
 * time (so no two receipts are duplicates), and a call beyond {@code limit} in flight gets 429, as
 * a provider's rate limit does. {@code POST /admin?latencyMs=&limit=} changes both while it runs;
 * {@code GET /stats} answers {@code calls rejected maxInFlight}.
 */
public final class FakeModel {

    private static volatile long latencyMs;
    private static volatile int limit;
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger calls = new AtomicInteger();
    private static final AtomicInteger rejected = new AtomicInteger();
    private static final AtomicInteger maxInFlight = new AtomicInteger();

    private FakeModel() {
    }

    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        latencyMs = Long.parseLong(args[1]);
        limit = Integer.parseInt(args[2]);
        // TCP_NODELAY on the accepted sockets (read once, when the JVM's first HttpServer starts): without it
        // Nagle's algorithm holds each response's body until the client's delayed ACK, 40 ms a call that a
        // real provider does not add.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/chat/completions", FakeModel::complete);
        server.createContext("/admin", exchange -> {
            String query = exchange.getRequestURI().getQuery() == null ? "" : exchange.getRequestURI().getQuery();
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=");
                if (kv.length == 2 && kv[0].equals("latencyMs")) {
                    latencyMs = Long.parseLong(kv[1]);
                } else if (kv.length == 2 && kv[0].equals("limit")) {
                    limit = Integer.parseInt(kv[1]);
                }
            }
            answer(exchange, 200, "ok");
        });
        server.createContext("/stats", exchange -> answer(exchange, 200, calls.get() + " " + rejected.get() + " " + maxInFlight.get()));
        server.start();
        System.out.println("fake model on " + port);
    }

    private static void complete(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            in.readAllBytes();
        }
        int now = inFlight.incrementAndGet();
        try {
            if (now > limit) {
                rejected.incrementAndGet();
                answer(exchange, 429, "{\"error\":{\"message\":\"Rate limit reached\",\"type\":\"requests\",\"code\":\"rate_limit_exceeded\"}}");
                return;
            }
            maxInFlight.accumulateAndGet(now, Math::max);
            int n = calls.incrementAndGet();
            if (latencyMs > 0) {
                TimeUnit.MILLISECONDS.sleep(latencyMs);
            }
            String reading = ("{\"isValidReceipt\":true,\"validationError\":\"\",\"total\":\"%d.%02d\",\"subtotal\":\"\",\"tax\":\"\",\"tip\":\"\","
                    + "\"currency\":\"USD\",\"date\":\"10/05/2025\",\"vendor\":\"BENCH VENDOR %06d\",\"categories\":[\"Other\"],"
                    + "\"paymentMethods\":[\"Card\"],\"cardLast4\":\"\",\"excludeFromTable\":false,\"exclusionReason\":\"\"}")
                    .formatted(1 + n % 900, n % 100, n);
            String body = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1764370800,\"model\":\"gpt-5-mini\","
                    + "\"choices\":[{\"index\":0,\"finish_reason\":\"stop\",\"message\":{\"role\":\"assistant\",\"content\":"
                    + quote(reading) + "}}],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":80,\"total_tokens\":1280}}";
            answer(exchange, 200, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The fake as a child process of the test JVM (same class path), stopped by {@link Handle#close()}. */
    static Handle start(long latencyMs, int limit) throws IOException {
        int port = ServiceProcess.freePort();
        Path log = Files.createDirectories(Path.of("target", "e2e-logs")).resolve("fake-model.log");
        Process process = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx128m",
                "-cp", System.getProperty("java.class.path"), FakeModel.class.getName(), String.valueOf(port),
                String.valueOf(latencyMs), String.valueOf(limit)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Handle handle = new Handle(process, port);
        org.awaitility.Awaitility.await("fake model up").atMost(Duration.ofSeconds(60)).until(() -> handle.stats() != null);
        return handle;
    }

    record Handle(Process process, int port) implements AutoCloseable {
        private static final HttpClient HTTP = HttpClient.newHttpClient();

        String baseUrl() {
            return "http://127.0.0.1:" + port + "/v1/";
        }

        void set(long latencyMs, int limit) throws Exception {
            HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin?latencyMs=" + latencyMs + "&limit=" + limit))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        }

        /** {@code calls rejected maxInFlight}, or null while it is not up. */
        String stats() {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/stats")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
