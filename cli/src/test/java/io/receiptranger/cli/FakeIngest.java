package io.receiptranger.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for the ingest's HTTP API in unit tests (the JDK's own server): canned answers per
 * "METHOD path", and every request it saw. It speaks no WebSocket, so the CLI falls back to asking
 * {@code GET /api/batches/{id}}. The packaged services are the end-to-end tests' job.
 */
final class FakeIngest implements AutoCloseable {

    record Seen(String method, String uri, Map<String, List<String>> headers, String body) {
    }

    record Answer(int status, String contentType, String body) {
    }

    private final HttpServer server;
    final Map<String, Answer> answers = new ConcurrentHashMap<>();
    final List<Seen> seen = new CopyOnWriteArrayList<>();

    FakeIngest() {
        try {
            // TCP_NODELAY (read once, at the JVM's first HttpServer): no 40 ms Nagle stall per answer.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakeIngest answer(String methodAndPath, int status, String contentType, String body) {
        answers.put(methodAndPath, new Answer(status, contentType, body));
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(), exchange.getRequestHeaders(), body));
        Answer answer = answers.get(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
        if (answer == null) {
            answer = new Answer(404, "application/problem+json", "{\"status\":404,\"detail\":\"There is nothing at this address.\"}");
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            exchange.getResponseBody().write(bytes);
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
