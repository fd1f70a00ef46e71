package io.receiptranger.extractor.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import io.receiptranger.extractor.ai.ReceiptReading;

/**
 * The extractor without a model: one {@link OcrEngine} plus {@link OcrRules}. The image arrives
 * upright (EXIF and the pixels' own orientation are applied by {@code image.Upright} before any
 * reader sees it); every page of it is read and the lines go to the rules together.
 */
public final class OfflineExtractor {

    public static final String MODEL = "offline-ocr";

    private final OcrEngine engine;

    public OfflineExtractor(OcrEngine engine) {
        this.engine = engine;
    }

    public OcrEngine engine() {
        return engine;
    }

    /** Reads the pages (upright image bytes, in order) as one receipt. */
    public ReceiptReading read(List<byte[]> pages, DateOrder order, LocalDate today)
            throws IOException, OcrUnavailableException, InterruptedException {
        List<String> lines = new ArrayList<>();
        for (byte[] page : pages) {
            lines.addAll(lines(page));
        }
        return OcrRules.read(lines, order, today);
    }

    /** The text lines of one image. */
    public List<String> lines(byte[] imageBytes) throws IOException, OcrUnavailableException, InterruptedException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(imageBytes));
        if (image == null) {
            throw new IOException("the image cannot be decoded for OCR");
        }
        return engine.lines(grey(image, enlargement(image)));
    }

    /** Up to 3× so the long edge reaches about 1200 px: small print reads better bigger. */
    static double enlargement(BufferedImage image) {
        int longEdge = Math.max(image.getWidth(), image.getHeight());
        return longEdge < 1200 ? Math.min(3.0, 1200.0 / longEdge) : 1.0;
    }

    static BufferedImage grey(BufferedImage image, double scale) {
        int w = (int) Math.round(image.getWidth() * scale);
        int h = (int) Math.round(image.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        g.drawImage(image, 0, 0, w, h, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }
}
