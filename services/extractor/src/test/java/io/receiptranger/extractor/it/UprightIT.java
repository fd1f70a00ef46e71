package io.receiptranger.extractor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.image.Upright;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * A receipt photographed sideways (turned in its pixels, no EXIF tag) reaches the model upright: the
 * image in the OpenAI request is the upright receipt, turned by the default check (PP-OCR's detector
 * and direction classifier, {@code ranger.ocr.upright-by=paddle}).
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = FakeOpenAi.class, restrictToAnnotatedClass = true)
class UprightIT extends PipelineHarness {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aSidewaysReceiptReachesTheModelUpright() throws Exception {
        // Given a real-looking receipt turned a quarter clockwise in its pixels, stored as a JPEG without EXIF
        BufferedImage upright;
        try (InputStream in = UprightIT.class.getResourceAsStream("/receipts/receipt-5423.jpg")) {
            upright = ImageIO.read(in);
        }
        BufferedImage sideways = Upright.rotate(upright, 1);
        Path file = FakeOpenAi.blobDir.resolve("r-sideways.jpg");
        Files.write(file, jpeg(sideways));
        assertThat(sideways.getWidth()).isGreaterThan(sideways.getHeight());

        // When it is submitted
        kafka.send("r-sideways", TestImages.submitted("r-sideways", file.toUri().toString()));

        // Then the model was asked once, with the receipt upright: portrait again, and the pixels of the original
        await().atMost(WAIT).until(() -> kafka.stages("r-sideways").contains("EXTRACTED"));
        JsonNode body = Json.MAPPER.readTree(FakeOpenAi.server.getAllServeEvents().get(0).getRequest().getBodyAsString());
        String url = body.at("/messages/1/content/1/image_url/url").asText();
        BufferedImage sent = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(url.substring(url.indexOf(',') + 1))));
        assertThat(sent.getWidth()).isEqualTo(upright.getWidth());
        assertThat(sent.getHeight()).isEqualTo(upright.getHeight());
        assertThat(meanDifference(sent, upright)).as("mean difference from the upright original (0–255)").isLessThan(12);
        assertThat(meanDifference(sent, Upright.rotate(Upright.rotate(upright, 1), 1))).isGreaterThan(20);
    }

    /** Mean absolute grey difference over a grid (JPEG re-encoding adds a little). */
    private static double meanDifference(BufferedImage a, BufferedImage b) {
        if (a.getWidth() != b.getWidth() || a.getHeight() != b.getHeight()) {
            return 255;
        }
        long sum = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y += 5) {
            for (int x = 0; x < a.getWidth(); x += 5) {
                sum += Math.abs(grey(a.getRGB(x, y)) - grey(b.getRGB(x, y)));
                n++;
            }
        }
        return (double) sum / n;
    }

    private static int grey(int rgb) {
        return (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / 3;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
