package io.receiptranger.endtoend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * A small OTLP/HTTP trace receiver: accepts {@code POST /v1/traces} (protobuf, as the services'
 * exporter sends it) and keeps each span's service, trace id, name and string attributes. The
 * protobuf is read by hand (the few fields of opentelemetry-proto's trace messages we need), so the
 * test depends on the wire format, not on a generated-code version.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One received span. */
    record ReceivedSpan(String service, String traceId, String spanId, String parentSpanId, String name,
            Map<String, String> attributes) {
    }

    private final HttpServer server;
    private final List<ReceivedSpan> spans = new CopyOnWriteArrayList<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start() {
        try {
            // TCP_NODELAY (read once, at the JVM's first HttpServer): no 40 ms Nagle stall per answer.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            OtlpReceiver receiver = new OtlpReceiver(server);
            server.createContext("/", exchange -> {
                try (exchange) {
                    byte[] body = exchange.getRequestBody().readAllBytes();
                    if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                            body = in.readAllBytes();
                        }
                    }
                    if (exchange.getRequestURI().getPath().endsWith("/v1/traces")) {
                        receiver.exportRequest(body);
                    }
                    exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                    exchange.sendResponseHeaders(200, 0);
                }
            });
            server.start();
            return receiver;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The endpoint for OTEL_EXPORTER_OTLP_ENDPOINT. */
    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    List<ReceivedSpan> spans() {
        return List.copyOf(spans);
    }

    // ExportTraceServiceRequest { repeated ResourceSpans resource_spans = 1; }
    private void exportRequest(byte[] message) {
        new Wire(message).fields((field, value) -> {
            if (field == 1) {
                resourceSpans(value.bytes());
            }
        });
    }

    // ResourceSpans { Resource resource = 1; repeated ScopeSpans scope_spans = 2; }
    private void resourceSpans(byte[] message) {
        Map<String, String> resource = new HashMap<>();
        List<byte[]> scopes = new java.util.ArrayList<>();
        new Wire(message).fields((field, value) -> {
            if (field == 1) {
                new Wire(value.bytes()).fields((f, v) -> {
                    if (f == 1) {
                        keyValue(v.bytes(), resource);
                    }
                });
            } else if (field == 2) {
                scopes.add(value.bytes());
            }
        });
        String service = resource.get("service.name");
        // ScopeSpans { InstrumentationScope scope = 1; repeated Span spans = 2; }
        for (byte[] scope : scopes) {
            new Wire(scope).fields((field, value) -> {
                if (field == 2) {
                    spans.add(span(service, value.bytes()));
                }
            });
        }
    }

    // Span { bytes trace_id = 1; bytes span_id = 2; bytes parent_span_id = 4; string name = 5; repeated KeyValue attributes = 9; }
    private static ReceivedSpan span(String service, byte[] message) {
        String[] ids = new String[3];
        String[] name = new String[1];
        Map<String, String> attributes = new HashMap<>();
        new Wire(message).fields((field, value) -> {
            switch (field) {
                case 1 -> ids[0] = HexFormat.of().formatHex(value.bytes());
                case 2 -> ids[1] = HexFormat.of().formatHex(value.bytes());
                case 4 -> ids[2] = HexFormat.of().formatHex(value.bytes());
                case 5 -> name[0] = value.string();
                case 9 -> keyValue(value.bytes(), attributes);
                default -> {
                }
            }
        });
        return new ReceivedSpan(service, ids[0], ids[1], ids[2], name[0], attributes);
    }

    // KeyValue { string key = 1; AnyValue value = 2; }  AnyValue { string string_value = 1; … }
    private static void keyValue(byte[] message, Map<String, String> into) {
        String[] key = new String[1];
        String[] text = new String[1];
        new Wire(message).fields((field, value) -> {
            if (field == 1) {
                key[0] = value.string();
            } else if (field == 2) {
                new Wire(value.bytes()).fields((f, v) -> {
                    if (f == 1) {
                        text[0] = v.string();
                    }
                });
            }
        });
        if (key[0] != null && text[0] != null) {
            into.put(key[0], text[0]);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    /** The protobuf wire format: a field number and its value, varint or length-delimited. */
    private static final class Wire {
        private final byte[] data;
        private int pos;

        Wire(byte[] data) {
            this.data = data;
        }

        interface Visitor {
            void field(int number, Value value);
        }

        record Value(byte[] bytes) {
            String string() {
                return new String(bytes, StandardCharsets.UTF_8);
            }
        }

        void fields(Visitor visitor) {
            while (pos < data.length) {
                long tag = varint();
                int number = (int) (tag >>> 3);
                switch ((int) (tag & 7)) {
                    case 0 -> varint();
                    case 1 -> pos += 8;
                    case 2 -> {
                        int length = (int) varint();
                        byte[] value = java.util.Arrays.copyOfRange(data, pos, pos + length);
                        pos += length;
                        visitor.field(number, new Value(value));
                    }
                    case 5 -> pos += 4;
                    default -> throw new IllegalStateException("unsupported wire type in " + tag);
                }
            }
        }

        private long varint() {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                byte b = data[pos++];
                result |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return result;
                }
            }
            throw new IllegalStateException("malformed varint");
        }
    }
}
