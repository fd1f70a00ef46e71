package io.receiptranger.extractor.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.List;

/**
 * One OCR engine, the only seam between the offline extractor and how text is read: an image in
 * (upright, unless the engine {@link #orientsItself}), its text lines out (top to bottom, the words of one printed line left to right). The
 * rules ({@link OcrRules}) never see which engine read the lines. Implementations: {@link PaddleOcr}
 * (PP-OCRv3 through ONNX Runtime, the default) and {@link Tesseract}.
 */
public interface OcrEngine {

    /** Name as configured ({@code ranger.ocr.engine}) and as reported in benchmarks. */
    String name();

    /** One printed line and where it is in the image read ({@code null} when the engine does not say). */
    record TextLine(String text, Rectangle box) {
    }

    /** The text lines of the image, blank lines dropped, with their boxes where the engine knows them. */
    List<TextLine> textLines(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException;

    /** One page as read: the picture the lines' boxes refer to (turned upright when the engine turned it) and its lines. */
    record Page(BufferedImage image, List<TextLine> lines) {
    }

    /**
     * True when the engine finds the text's direction itself ({@link #page} then reads a sideways or
     * upside-down picture upright); false when the picture must arrive upright ({@code image.Upright}).
     */
    default boolean orientsItself() {
        return false;
    }

    /** The page read; engines that orient themselves turn it upright first. */
    default Page page(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException {
        return new Page(image, textLines(image));
    }

    /** The text lines of the image, blank lines dropped. */
    default List<String> lines(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException {
        return textLines(image).stream().map(TextLine::text).toList();
    }

    /** True when the engine can run here (its binary or native library loads). */
    boolean available();
}
