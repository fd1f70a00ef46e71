package io.receiptranger.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;
import io.restassured.RestAssured;

/**
 * The upload guard on the route as resolved, over raw HTTP (no client library rewrites the path):
 * another site's Origin is refused on every spelling of the path that still reaches the upload, a
 * declared body over the limit is refused early there too, and a chunked upload's bytes count
 * against the client's per-minute budget.
 */
@QuarkusTest
@TestProfile(RouteGuardTest.SmallByteBudget.class)
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
class RouteGuardTest {

    static final String JPEG = "receipt-5423.jpg";

    public static class SmallByteBudget implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // below two sample receipts (≈ 69 KB each) a minute
            return Map.of("ranger.upload.rate-limit-bytes-per-minute", "100000");
        }
    }

    @Test
    void aMatrixParameterEncodingOrTrailingSlashDoesNotSkipTheOriginCheck() throws Exception {
        for (String path : new String[] { "/api/batches;x=1", "/api/batches/", "/api/%62atches", "/api;x=1/batches" }) {
            String answer = post(path, "Origin: https://evil.example\r\n", multipart(TestFiles.bytes(JPEG)), false);
            assertThat(answer).as(path).startsWith("HTTP/1.1 403").contains("application/problem+json");
        }
    }

    @Test
    void aMatrixPathDeclaringTooMuchIsRefusedBeforeItsBodyIsRead() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/batches;x=1 HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (300L * 1024 * 1024)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            // the answer comes at once (the connection stays open while the client still owes its body)
            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            for (int c = in.read(); c >= 0 && !(answer.indexOf("\r\n\r\n") > 0 && c == '}'); c = in.read()) {
                answer.append((char) c);
            }
            assertThat(answer.toString()).startsWith("HTTP/1.1 413").contains("the limit is 202 MiB");
        }
    }

    @Test
    void aChunkedUploadCountsItsBytesSoTheNextOneIsRefused() throws Exception {
        byte[] body = multipart(TestFiles.bytes(JPEG));
        // the first upload of the window is taken whatever its size, and its bytes are counted as they arrived
        assertThat(post("/api/batches", "", body, true)).startsWith("HTTP/1.1 202");
        assertThat(post("/api/batches", "", body, true)).startsWith("HTTP/1.1 202");

        assertThat(post("/api/batches", "", body, true)).startsWith("HTTP/1.1 429").contains("Retry-After");
    }

    static byte[] multipart(byte[] file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(("--zzz\r\nContent-Disposition: form-data; name=\"files\"; filename=\"r.jpg\"\r\n"
                + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(file);
        out.write("\r\n--zzz--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /** One request on its own connection; the whole answer as text. */
    static String post(String path, String headers, byte[] body, boolean chunked) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + RestAssured.port + "\r\nConnection: close\r\n"
                    + "Content-Type: multipart/form-data; boundary=zzz\r\n" + headers
                    + (chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n")
                    + "\r\n").getBytes(StandardCharsets.US_ASCII));
            try {
                if (!chunked) {
                    out.write(body);
                } else {
                    for (int i = 0; i < body.length; i += 8192) {
                        int n = Math.min(8192, body.length - i);
                        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.write(body, i, n);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            } catch (IOException refusedEarly) {
                // the guard answered and closed before the body was sent: read that answer
            }
            return readAll(socket.getInputStream());
        }
    }

    static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream answer = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                answer.write(buffer, 0, n);
            }
        } catch (java.net.SocketException closed) {
            // the server closed after answering
        }
        return answer.toString(StandardCharsets.ISO_8859_1);
    }
}
