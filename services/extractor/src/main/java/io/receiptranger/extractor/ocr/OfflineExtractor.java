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
import io.receiptranger.extractor.image.Upright;

/**
 * The extractor without a model: one {@link OcrEngine} plus {@link OcrRules}. EXIF orientation is
 * applied before (image.ImageNormaliser); the text's direction in the pixels is found here: PP-OCR
 * finds it itself ({@link OcrEngine#orientsItself}), other engines get the picture turned by
 * Tesseract's orientation detection ({@link Upright}). Every page is read and the lines go to the
 * rules together. The lines the vendor is read from get their word breaks back ({@link WordSpacing})
 * when the engine glued words.
 */
public final class OfflineExtractor {

    public static final String MODEL = "offline-ocr";

    private final OcrEngine engine;
    private final WordSpacing spacing;
    private final Upright upright;

    /** An engine without the word-spacing step (Tesseract, which spaces words itself), pictures read as they are. */
    public OfflineExtractor(OcrEngine engine) {
        this(engine, (WordSpacing) null, Upright.OFF);
    }

    /**
     * {@code lineReader} reads a cropped line again for its word breaks (Tesseract); null: lines as the
     * engine read them. {@code upright} turns pictures for engines that do not orient themselves.
     */
    public OfflineExtractor(OcrEngine engine, Tesseract lineReader, Upright upright) {
        this(engine, lineReader == null ? null : new WordSpacing(lineReader::readLine), upright);
    }

    OfflineExtractor(OcrEngine engine, WordSpacing spacing, Upright upright) {
        this.engine = engine;
        this.spacing = spacing;
        this.upright = upright;
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
        for (byte[] bytes : pages) {
            BufferedImage decoded = decoded(bytes);
            if (!engine.orientsItself()) {
                // Turned before it is enlarged and made grey: the detection then reads the picture the model
                // path reads (UprightBench's figures), not a copy scaled twice.
                decoded = upright.content(decoded);
            }
            OcrEngine.Page page = engine.page(grey(decoded, enlargement(decoded)));
            for (OcrEngine.TextLine line : page.lines()) {
                lines.add(line.text());
                lineImages.add(page.image());
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

    /** The text lines of one image, as read (turned upright first by engines that orient themselves). */
    public List<String> lines(byte[] imageBytes) throws IOException, OcrUnavailableException, InterruptedException {
        return engine.page(prepared(imageBytes)).lines().stream().map(OcrEngine.TextLine::text).toList();
    }

    private static BufferedImage prepared(byte[] imageBytes) throws IOException {
        BufferedImage image = decoded(imageBytes);
        return grey(image, enlargement(image));
    }

    private static BufferedImage decoded(byte[] imageBytes) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(imageBytes));
        if (image == null) {
            throw new IOException("the image cannot be decoded for OCR");
        }
        return image;
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
