package io.receiptranger.ingest.web;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Whether a request path resolves to the upload route the way Quarkus REST resolves it, so the guard
 * cannot be walked around: matrix parameters ({@code /api/batches;x=1}) dropped from every segment,
 * percent-encoding decoded ({@code /api/%62atches}), empty segments ({@code //}, a trailing
 * {@code /}) and dot segments removed. The guard errs on the side of checking: a path that might
 * resolve to the route is treated as the route (case is ignored).
 */
final class UploadRoute {

    static final String PATH = "/api/batches";

    private UploadRoute() {
    }

    static boolean matches(String rawPath) {
        return rawPath != null && PATH.equalsIgnoreCase(resolve(rawPath));
    }

    /** The path as a JAX-RS router sees it. */
    static String resolve(String rawPath) {
        Deque<String> segments = new ArrayDeque<>();
        for (String raw : rawPath.split("/", -1)) {
            String segment = withoutMatrix(decode(withoutMatrix(raw)));
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                segments.pollLast();
                continue;
            }
            segments.addLast(segment);
        }
        return "/" + String.join("/", segments);
    }

    private static String withoutMatrix(String segment) {
        int semicolon = segment.indexOf(';');
        return semicolon < 0 ? segment : segment.substring(0, semicolon);
    }

    /** Percent-decoding as in a URI path ({@code +} stays a plus); a broken escape is kept as it is. */
    private static String decode(String segment) {
        if (segment.indexOf('%') < 0) {
            return segment;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] bytes = segment.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            int hi = i + 2 < bytes.length ? Character.digit(bytes[i + 1], 16) : -1;
            int lo = i + 2 < bytes.length ? Character.digit(bytes[i + 2], 16) : -1;
            if (bytes[i] == '%' && hi >= 0 && lo >= 0) {
                out.write(hi << 4 | lo);
                i += 2;
            } else {
                out.write(bytes[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
