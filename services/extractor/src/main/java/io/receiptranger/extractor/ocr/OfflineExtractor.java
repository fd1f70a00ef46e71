package io.receiptranger.extractor.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import io.receiptranger.extractor.ai.ReceiptReading;

/**
 * The extractor without a model: Tesseract plus {@link OcrRules}. Photos arrive sideways or upside
 * down (EXIF orientation, rotated scans), so the image is read upright first and then turned a
 * quarter at a time until the text looks like a receipt (a TOTAL line with an amount); when the
 * photo as taken gives none, an enlarged copy is tried the same way.
 */
public final class OfflineExtractor {

    public static final String MODEL = "offline-ocr";
    private static final Pattern RECEIPT_WORDS = Pattern.compile("(?im)^\\W*(sub\\s*total|total|tax|cash|visa|mastercard|debit|date)\\b");
    private static final Pattern TOTAL_WITH_AMOUNT = Pattern.compile("(?im)^\\W*total\\b.*\\d+[.,]\\d{2}\\W*$");

    private final Tesseract tesseract;

    public OfflineExtractor(Tesseract tesseract) {
        this.tesseract = tesseract;
    }

    public ReceiptReading read(byte[] imageBytes) throws IOException, TesseractMissingException, InterruptedException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(imageBytes));
        if (image == null) {
            // A format ImageIO cannot decode (WebP): let Tesseract's own decoder try, upright only.
            return OcrRules.read(tesseract.read(imageBytes));
        }
        String best = null;
        int bestScore = -1;
        // As photographed first, then enlarged (small print reads better bigger), each turned a quarter at a time.
        for (BufferedImage variant : new BufferedImage[] { grey(image, 1.0), grey(image, enlargement(image)) }) {
            for (int quarter = 0; quarter < 4; quarter++) {
                String text = tesseract.read(png(rotate(variant, quarter)));
                if (TOTAL_WITH_AMOUNT.matcher(text).find()) {
                    return OcrRules.read(text);
                }
                int score = (int) RECEIPT_WORDS.matcher(text).results().count();
                if (score > bestScore) {
                    best = text;
                    bestScore = score;
                }
            }
        }
        return OcrRules.read(best);
    }

    /** Up to 3× so the long edge reaches about 1200 px. */
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
        g.drawImage(image, 0, 0, w, h, null);
        g.dispose();
        return out;
    }

    static BufferedImage rotate(BufferedImage image, int quarters) {
        if (quarters % 4 == 0) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = quarters % 2 == 1;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, image.getType());
        Graphics2D g = out.createGraphics();
        g.translate(out.getWidth() / 2.0, out.getHeight() / 2.0);
        g.rotate(Math.toRadians(90.0 * quarters));
        g.translate(-w / 2.0, -h / 2.0);
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
