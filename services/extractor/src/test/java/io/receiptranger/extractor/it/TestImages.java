package io.receiptranger.extractor.it;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Small real images written into the test blob store. */
public final class TestImages {

    private TestImages() {
    }

    public static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.drawString("TOTAL 25.50", 5, Math.min(height - 2, 15));
        g.dispose();
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(image, "png", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a PNG into the fake blob store and returns its {@code file://} URI. */
    public static String storedPng(String name) {
        try {
            Path file = FakeOpenAi.blobDir.resolve(name + ".png");
            Files.write(file, png(40, 30));
            return file.toUri().toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String submitted(String receiptId, String uri) {
        return """
                {"receiptId":"%s","batchId":"b-it","source":"kafka","fileName":"%s.png","image":{"uri":"%s"},
                 "timeZone":"America/Chicago","someFutureField":true}""".formatted(receiptId, receiptId, uri);
    }
}
