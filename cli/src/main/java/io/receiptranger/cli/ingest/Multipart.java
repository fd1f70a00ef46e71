package io.receiptranger.cli.ingest;

import java.io.FileNotFoundException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A {@code multipart/form-data} body that streams its files from disk (a batch of twenty photos is
 * never held in memory).
 */
final class Multipart {

    private final String boundary;
    private final List<HttpRequest.BodyPublisher> parts = new ArrayList<>();

    Multipart() {
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        boundary = "ranger-" + HexFormat.of().formatHex(random);
    }

    String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    Multipart field(String name, String value) {
        bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\n" + value + "\r\n");
        return this;
    }

    Multipart file(String name, String fileName, Path path) throws FileNotFoundException {
        bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\"" + quoted(fileName) + "\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n");
        parts.add(HttpRequest.BodyPublishers.ofFile(path));
        bytes("\r\n");
        return this;
    }

    HttpRequest.BodyPublisher body() {
        List<HttpRequest.BodyPublisher> all = new ArrayList<>(parts);
        all.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        return HttpRequest.BodyPublishers.concat(all.toArray(HttpRequest.BodyPublisher[]::new));
    }

    private void bytes(String text) {
        parts.add(HttpRequest.BodyPublishers.ofString(text, StandardCharsets.UTF_8));
    }

    /** A file name inside the header's quotes: quotes and line breaks could end the header early. */
    private static String quoted(String fileName) {
        return fileName.replaceAll("[\"\\r\\n\\\\]", "_");
    }
}
