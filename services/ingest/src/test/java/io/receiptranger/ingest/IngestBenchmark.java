package io.receiptranger.ingest;

import static io.restassured.RestAssured.given;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.logging.Log;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.upload.ImageFormat;
import io.receiptranger.ingest.upload.ImagePipeline;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * A benchmark, not a test (its name matches neither surefire's nor failsafe's patterns, so
 * {@code verify} skips it). Run it with
 * {@code ./mvnw -pl services/ingest verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=IngestBenchmark}.
 * Measures upload-to-202 latency of a 3 MB photo (real broker, acks=all) and normalisation
 * throughput on one thread; writes the figures to {@code target/benchmark.txt}.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaLocalResource.class, restrictToAnnotatedClass = true)
class IngestBenchmark {

    @Inject
    ImagePipeline pipeline;

    @Test
    void measure() throws Exception {
        byte[] photo = photoOfAbout3MB();
        Path file = Files.write(Files.createTempFile("bench-", ".jpg"), photo);

        // Upload to 202
        for (int i = 0; i < 3; i++) {
            upload(photo, i);
        }
        List<Long> millis = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            long start = System.nanoTime();
            upload(photo, 100 + i);
            millis.add((System.nanoTime() - start) / 1_000_000);
        }
        Collections.sort(millis);

        // Normalisation on one thread
        for (int i = 0; i < 3; i++) {
            pipeline.prepare(file, ImageFormat.JPEG);
        }
        int count = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < 15_000_000_000L) {
            pipeline.prepare(file, ImageFormat.JPEG);
            count++;
        }
        double perSecond = count / ((System.nanoTime() - start) / 1e9);

        String report = String.format(java.util.Locale.ROOT,
                "photo: %.2f MB, 4032x3024 JPEG%nupload-to-202: median %d ms, p90 %d ms, min %d ms (n=%d)%n"
                        + "normalisation (3 MB photo -> 2048 px JPEG), one thread: %.2f images/s%n"
                        + "cores: %d, JDK %s%n",
                photo.length / 1e6, millis.get(millis.size() / 2), millis.get((int) (millis.size() * 0.9)), millis.get(0),
                millis.size(), perSecond, Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        Files.writeString(Path.of("target", "benchmark.txt"), report);
        Log.info("\n" + report);
    }

    static void upload(byte[] photo, int i) {
        given().multiPart("files", "photo-" + i + ".jpg", photo, "image/jpeg")
                .post("/api/batches").then().statusCode(202);
    }

    /** A phone-sized picture (4032×3024) with enough texture to weigh about 3 MB as JPEG. */
    static byte[] photoOfAbout3MB() throws Exception {
        BufferedImage image = new BufferedImage(4032, 3024, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        Random random = new Random(42);
        g.setColor(new Color(230, 225, 215));
        g.fillRect(0, 0, 4032, 3024);
        for (int i = 0; i < 4000; i++) {
            g.setColor(new Color(random.nextInt(80), random.nextInt(80), random.nextInt(80)));
            g.fillRect(random.nextInt(4032), random.nextInt(3024), 10 + random.nextInt(60), 6 + random.nextInt(20));
        }
        g.dispose();
        for (int y = 0; y < 3024; y += 2) {
            for (int x = 0; x < 4032; x += 2) {
                int n = random.nextInt(24);
                int rgb = image.getRGB(x, y);
                image.setRGB(x, y, ((Math.min(255, ((rgb >> 16) & 0xFF) + n)) << 16) | ((Math.min(255, ((rgb >> 8) & 0xFF) + n)) << 8)
                        | Math.min(255, (rgb & 0xFF) + n));
            }
        }
        byte[] best = null;
        for (float q = 0.95f; q > 0.3f; q -= 0.05f) {
            best = jpeg(image, q);
            if (best.length <= 3_200_000) {
                break;
            }
        }
        return best;
    }

    static byte[] jpeg(BufferedImage image, float quality) throws Exception {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
