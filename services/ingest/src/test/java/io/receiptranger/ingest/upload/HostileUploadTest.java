package io.receiptranger.ingest.upload;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.lessThan;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.imageio.ImageIO;

import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.InMemoryChannels;
import io.receiptranger.ingest.TestFiles;
import io.receiptranger.ingest.WebSocketRecorder;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.restassured.RestAssured;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySink;

/** Hostile uploads: each refused with its status and reason, never a 5xx; the service stays ready. */
@QuarkusTest
@QuarkusTestResource(value = InMemoryChannels.class, restrictToAnnotatedClass = true)
class HostileUploadTest {

    static final String JPEG = "receipt-5423.jpg";

    @Inject
    @Any
    InMemoryConnector connector;

    @Inject
    ObjectMapper json;

    InMemorySink<String> receipts;

    @BeforeEach
    void clear() {
        receipts = connector.sink(ReceiptPublisher.RECEIPTS_OUT);
        receipts.clear();
    }

    @AfterEach
    void stillReady() {
        given().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aPixelFloodIsRefusedWithTheSentence() {
        given().multiPart("files", "flood.png", HostileFiles.pngPixelFlood(40000, 40000), "image/png")
                .post("/api/batches").then().statusCode(422)
                .contentType("application/problem+json")
                .body("rejected[0].status", equalTo(422))
                .body("rejected[0].error", equalTo("image is 40000×40000 pixels; the limit is 40 megapixels"));
    }

    @Test
    void aTruncatedJpegIsRefused422() {
        given().multiPart("files", "half.jpg", HostileFiles.truncated(TestFiles.bytes(JPEG)), "image/jpeg")
                .post("/api/batches").then().statusCode(422)
                .body("rejected[0].status", equalTo(422));
    }

    @Test
    void aTextFileNamedJpgIsRefused415() {
        given().multiPart("files", "evil.jpg", "<script>alert(1)</script>".getBytes(), "image/jpeg")
                .post("/api/batches").then().statusCode(422)
                .body("rejected[0].status", equalTo(415))
                .body("rejected[0].fileName", equalTo("evil.jpg"));
    }

    @Test
    void aPolyglotIsAcceptedButOnlyItsPixelsTravel() throws Exception {
        given().multiPart("files", "poly.jpg", HostileFiles.polyglot(TestFiles.bytes(JPEG)), "image/jpeg")
                .post("/api/batches").then().statusCode(202).body("accepted", hasSize(1));

        byte[] image = Files.readAllBytes(Path.of(URI.create(event(0).get("image").get("uri").asText())));
        assertThat(new String(image, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("<script>");
    }

    @Test
    void aFileOver10MiBIsRejected413WhileTheOthersGoOn() {
        byte[] big = Arrays.copyOf(TestFiles.bytes(JPEG), 10 * 1024 * 1024 + 1);
        given().multiPart("files", "big.jpg", big, "image/jpeg")
                .multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .post("/api/batches").then().statusCode(202)
                .body("accepted", hasSize(1))
                .body("rejected[0].status", equalTo(413))
                .body("rejected[0].error", equalTo("the file is 10 MiB; the limit is 10 MiB a file"));
    }

    @Test
    void anOversizedBodyIsRefused413BeforeItIsRead() throws Exception {
        // Given a request that announces 300 MiB (and sends none of it: the answer must not wait for it)
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /api/batches HTTP/1.1\r\nHost: localhost\r\n"
                    + "Content-Type: multipart/form-data; boundary=x\r\nContent-Length: " + (300L * 1024 * 1024)
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();

            // Then 413 problem+json at once
            StringBuilder response = new StringBuilder();
            InputStream in = socket.getInputStream();
            int c;
            while ((c = in.read()) >= 0 && !(response.indexOf("\r\n\r\n") > 0 && c == '}')) {
                response.append((char) c);
            }
            assertThat(response.toString()).startsWith("HTTP/1.1 413");
            assertThat(response.toString()).contains("application/problem+json").contains("the limit is 202 MiB");
        }
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitIsRefused413() throws Exception {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            var out = socket.getOutputStream();
            out.write(("POST /api/batches HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1024 * 1024];
            byte[] head = ("--x\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.jpg\"\r\n"
                    + "Content-Type: image/jpeg\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, chunk, 0, head.length);
            try {
                for (int i = 0; i < 260; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    java.util.Arrays.fill(chunk, 0, head.length, (byte) 'a');
                }
            } catch (java.io.IOException closedByServer) {
                // expected: the server stops reading once the limit is passed
            }
            String response = new String(socket.getInputStream().readNBytes(300), StandardCharsets.UTF_8);
            // Vert.x cuts the body off itself here (no problem body: it answers before our code runs).
            assertThat(response).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void anUploadFromAnotherSiteIsRefused403() {
        given().header("Origin", "https://evil.example")
                .multiPart("files", JPEG, TestFiles.bytes(JPEG), "image/jpeg")
                .post("/api/batches").then().statusCode(403).contentType("application/problem+json");
        assertThat(receipts.received()).isEmpty();
    }

    @Test
    void theWebSocketRefusesAnotherSitesOrigin() {
        URI uri = URI.create("ws://localhost:" + RestAssured.port + "/ws/batches/b-any");

        assertThatThrownBy(() -> WebSocketRecorder.open(uri, "https://evil.example")).hasStackTraceContaining("403");
    }

    @Test
    void heicAndPdfArriveAsUprightImagesOfAtMost2048Pixels(@TempDir Path dir) throws Exception {
        // Given a HEIC (made with libheif's heif-enc) and the sample PDF
        Path jpeg = Files.write(dir.resolve("in.jpg"), HostileFiles.encode(HostileFiles.halves(3000, 1200), "jpg"));
        Path heic = dir.resolve("in.heic");
        Process enc = new ProcessBuilder("heif-enc", "-q", "70", "-o", heic.toString(), jpeg.toString())
                .redirectErrorStream(true).start();
        enc.getInputStream().readAllBytes();
        assertThat(enc.waitFor()).as("heif-enc (apt-get install libheif-examples)").isZero();

        // When uploaded
        given().multiPart("files", "IMG_0042.HEIC", Files.readAllBytes(heic), "image/heic")
                .multiPart("files", "Receipt_43247.pdf", TestFiles.bytes("Receipt_43247.pdf"), "application/pdf")
                .post("/api/batches").then().statusCode(202).body("accepted", hasSize(2)).body("rejected", hasSize(0));

        // Then the events point at JPEG/PNG images no larger than 2048 px, and keep the original's name and hash
        for (int i = 0; i < 2; i++) {
            JsonNode event = event(i);
            assertThat(event.get("contentType").asText()).isIn("image/jpeg", "image/png");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(
                    Files.readAllBytes(Path.of(URI.create(event.get("image").get("uri").asText())))));
            assertThat(Math.max(image.getWidth(), image.getHeight())).isLessThanOrEqualTo(2048);
            assertThat(event.get("original").get("uri").asText()).contains("/original.");
        }
        JsonNode heicEvent = event(0);
        assertThat(heicEvent.get("fileName").asText()).isEqualTo("IMG_0042.HEIC");
        assertThat(heicEvent.get("sha256").asText()).isEqualTo(sha256(Files.readAllBytes(heic)));
    }

    @Test
    void anEmptyPartAndAGarbageMultipartNeverGive5xx() {
        given().multiPart("files", "empty.jpg", new byte[0], "image/jpeg")
                .post("/api/batches").then().statusCode(lessThan(500));
        given().contentType("multipart/form-data; boundary=zzz").body("--zzz\r\ngarbage without headers".getBytes())
                .post("/api/batches").then().statusCode(lessThan(500));
    }

    JsonNode event(int i) throws Exception {
        return json.readTree(receipts.received().get(i).getPayload());
    }

    static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
