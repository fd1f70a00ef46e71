package io.receiptranger.extractor.ocr;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import io.receiptranger.extractor.ai.ReceiptReading;

/**
 * The extractor without a model: one {@link OcrEngine} plus {@link OcrRules}. The image arrives
 * upright (EXIF and the pixels' own orientation are applied by {@code image.Upright} before any
 * reader sees it); every page of it is read and the lines go to the rules together. The lines the
 * vendor is read from get their word breaks back ({@link WordSpacing}) when the engine glued words.
 */
public final class OfflineExtractor {

    public static final String MODEL = "offline-ocr";

    private final OcrEngine engine;
    private final WordSpacing spacing;

    /** An engine without the word-spacing step (Tesseract, which spaces words itself). */
    public OfflineExtractor(OcrEngine engine) {
        this(engine, (WordSpacing) null);
    }

    /** {@code lineReader} reads a cropped line again for its word breaks (Tesseract); null: lines as the engine read them. */
    public OfflineExtractor(OcrEngine engine, Tesseract lineReader) {
        this(engine, lineReader == null ? null : new WordSpacing(lineReader::readLine));
    }

    OfflineExtractor(OcrEngine engine, WordSpacing spacing) {
        this.engine = engine;
        this.spacing = spacing;
    }

    public OcrEngine engine() {
        return engine;
    }

    /** Reads the pages (upright image bytes, in order) as one receipt. */
    public ReceiptReading read(List<byte[]> pages, DateOrder order, LocalDate today)
            throws IOException, OcrUnavailableException, InterruptedException {
        List<String> lines = new ArrayList<>();
        List<BufferedImage> lineImages = new ArrayList<>();
        List<OcrEngine.TextLine> located = new ArrayList<>();
        for (byte[] page : pages) {
            BufferedImage image = prepared(page);
            for (OcrEngine.TextLine line : engine.textLines(image)) {
                lines.add(line.text());
                lineImages.add(image);
                located.add(line);
            }
        }
        if (spacing != null) {
            for (int i : VendorLine.locate(normalised(lines)).map(VendorLine.Found::lines).orElse(List.of())) {
                lines.set(i, spacing.respaced(lines.get(i), lineImages.get(i), located.get(i).box()));
            }
        }
        return OcrRules.read(lines, order, today);
    }

    /** The text lines of one image. */
    public List<String> lines(byte[] imageBytes) throws IOException, OcrUnavailableException, InterruptedException {
        return engine.lines(prepared(imageBytes));
    }

    private static BufferedImage prepared(byte[] imageBytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(imageBytes));
        if (image == null) {
            throw new IOException("the image cannot be decoded for OCR");
        }
        return grey(image, enlargement(image));
    }

    /** As the rules see them: full-width brackets and digits (（126926-H）) in their ASCII forms. */
    static List<String> normalised(List<String> lines) {
        return lines.stream().map(l -> Normalizer.normalize(l, Normalizer.Form.NFKC)).toList();
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
