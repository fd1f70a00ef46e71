package io.receiptranger.extractor.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import javax.imageio.ImageIO;

import com.benjaminwan.ocrlibrary.OcrResult;
import com.benjaminwan.ocrlibrary.Point;
import com.benjaminwan.ocrlibrary.TextBlock;

import io.github.mymonstercat.Model;
import io.github.mymonstercat.ocr.InferenceEngine;
import io.github.mymonstercat.ocr.config.HardwareConfig;
import io.github.mymonstercat.ocr.config.ParamConfig;

/**
 * PP-OCRv3 (a DBNet text detector and an SVTR/CRNN recogniser, PaddleOCR's mobile models exported
 * to ONNX) run by RapidOCR's native library on ONNX Runtime, one thread. The models and the library
 * ship in Maven jars ({@code io.github.mymonstercat:rapidocr*}) and are unpacked once under
 * {@code java.io.tmpdir}/ocrJava (a read-only root needs that folder writable).
 *
 * <p>The detector finds word groups, not lines: a receipt's label ("TOTAL") and its amount are two
 * boxes. {@link #rows} joins boxes whose vertical extents overlap by more than half the smaller
 * height into one line, left to right, so the rules see lines as printed.
 *
 * <p>The engine is one native instance per process and is called by one thread at a time.
 */
public final class PaddleOcr implements OcrEngine {

    public static final String NAME = "paddle";
    /**
     * The longest edge of the copy the detector reads; recognition still reads the full-size crops. 1600: on
     * the real receipts 12 % less of the engine's CPU than the picture as it is (long till rolls most), the
     * same totals and vendors; 1280 lost a total (README, "Speed").
     */
    static final int DETECTOR_EDGE = 1600;
    private static final Object LOCK = new Object();
    /** Fewest tall text boxes that make a picture sideways (a few tall boxes are single letters or digits). */
    static final int MIN_BOXES = 5;

    /** Longest edge of the copy the detector sees; 0 = the image as it is. */
    private final int detectorEdge;
    private volatile InferenceEngine engine;

    public PaddleOcr(int detectorEdge) {
        this.detectorEdge = detectorEdge;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TextLine> textLines(BufferedImage image) throws IOException, OcrUnavailableException {
        return page(image).lines();
    }

    @Override
    public boolean orientsItself() {
        return true;
    }

    /**
     * The page read upright. PP-OCR's own direction classifier (the "cls" model, run on every text box,
     * the majority applied to all, so no single line is turned on its own) says whether the text is
     * upside down; then every box was read turned over already and only the boxes' positions are
     * turned (lines keep their order). The classifier can be wrong on an upright receipt (the sample
     * CareFirst receipt, enlarged): an upside-down verdict is checked by reading the picture once more
     * as it is, and the reading the recogniser is surer of (mean character score) wins. A sideways
     * picture shows as text boxes taller than wide; it is turned a quarter (the classifier's majority on
     * the boxes the library turned says which way) and read again. This replaces Tesseract's
     * orientation detection on the offline path: a few milliseconds a box instead of a Tesseract run
     * on the whole picture, and it does not take the upright sroie-131 for upside down as Tesseract did.
     */
    @Override
    public Page page(BufferedImage image) throws IOException, OcrUnavailableException {
        Reading reading = detect(image, true);
        int quarters = sideways(reading.boxes());
        if (quarters != 0) {
            image = io.receiptranger.extractor.image.Upright.rotate(image, quarters);
            reading = detect(image, true);
        }
        if (upsideDown(reading.boxes())) {
            Reading asItIs = detect(image, false);
            if (asItIs.score() >= reading.score()) {
                return new Page(image, rows(asItIs.boxes()));
            }
            int w = image.getWidth();
            int h = image.getHeight();
            List<Box> turned = reading.boxes().stream()
                    .map(b -> new Box(h - b.bottom(), h - b.top(), w - b.right(), w - b.left(), b.text(), 0)).toList();
            return new Page(io.receiptranger.extractor.image.Upright.rotate(image, 2), rows(turned));
        }
        return new Page(image, rows(reading.boxes()));
    }

    /** The boxes read, and the recogniser's mean confidence over all their characters (0–1). */
    record Reading(List<Box> boxes, double score) {
    }

    private Reading detect(BufferedImage image, boolean classify) throws IOException, OcrUnavailableException {
        InferenceEngine e = engine();
        // The native library reads only files. BMP: written as fast as memory is copied (PNG's deflate cost
        // 0.2–0.5 s a receipt), read by OpenCV like any other; owner-only, deleted right after.
        Path file = Files.createTempFile("receipt-ocr-", ".bmp");
        try {
            if (!ImageIO.write(image, "bmp", file.toFile())) {
                throw new IOException("the image could not be written for PP-OCR");
            }
            ParamConfig params = ParamConfig.getDefaultConfig();
            params.setMaxSideLen(detectorEdge);
            params.setDoAngle(classify);
            params.setMostAngle(classify);
            OcrResult result;
            synchronized (LOCK) {
                result = e.runOcr(file.toString(), params);
            }
            List<Box> boxes = new ArrayList<>();
            double sum = 0;
            int chars = 0;
            for (TextBlock block : result.getTextBlocks()) {
                boxes.add(Box.of(block));
                if (block.getCharScores() != null) {
                    for (float score : block.getCharScores()) {
                        sum += score;
                        chars++;
                    }
                }
            }
            return new Reading(boxes, chars == 0 ? 0 : sum / chars);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * 0 for text that runs across the picture; otherwise the clockwise quarter turns that make it
     * upright: most boxes (at least {@value #MIN_BOXES}) taller than 1.5 × their width are lines
     * running down the picture. The library reads such a box turned a quarter counter-clockwise; when
     * that reads upright (majority direction 0), the picture was turned clockwise and needs three
     * quarters, else one.
     */
    static int sideways(List<Box> boxes) {
        long tall = boxes.stream().filter(b -> !b.text().isEmpty() && b.height() * 2 > b.width() * 3).count();
        long wide = boxes.stream().filter(b -> !b.text().isEmpty() && b.width() * 2 > b.height() * 3).count();
        if (tall < MIN_BOXES || tall <= wide) {
            return 0;
        }
        return upsideDown(boxes) ? 1 : 3;
    }

    /** The classifier's majority (applied to every box) says the text is upside down. */
    static boolean upsideDown(List<Box> boxes) {
        return !boxes.isEmpty() && boxes.get(0).angle() == 1;
    }

    @Override
    public boolean available() {
        try {
            engine();
            return true;
        } catch (OcrUnavailableException e) {
            return false;
        }
    }

    private InferenceEngine engine() throws OcrUnavailableException {
        InferenceEngine e = engine;
        if (e != null) {
            return e;
        }
        synchronized (LOCK) {
            if (engine == null) {
                try {
                    engine = InferenceEngine.getInstance(Model.ONNX_PPOCR_V3, new HardwareConfig(1, -1));
                } catch (RuntimeException | LinkageError ex) {
                    throw new OcrUnavailableException("the PP-OCR engine (ONNX Runtime) does not load on this machine ("
                            + ex.getClass().getSimpleName() + "); set RANGER_OCR_ENGINE=tesseract or OPENAI_API_KEY", ex);
                }
            }
            return engine;
        }
    }

    /** One detected text box: its extent, its text and the direction classifier's answer (0 upright, 1 upside down, -1 none). */
    record Box(int top, int bottom, int left, int right, String text, int angle) {
        Box(int top, int bottom, int left, int right, String text) {
            this(top, bottom, left, right, text, 0);
        }

        static Box of(TextBlock block) {
            int top = Integer.MAX_VALUE, bottom = Integer.MIN_VALUE, left = Integer.MAX_VALUE, right = Integer.MIN_VALUE;
            for (Point p : block.getBoxPoint()) {
                top = Math.min(top, p.getY());
                bottom = Math.max(bottom, p.getY());
                left = Math.min(left, p.getX());
                right = Math.max(right, p.getX());
            }
            return new Box(top, bottom, left, right, block.getText() == null ? "" : block.getText().strip(), block.getAngleIndex());
        }

        int height() {
            return Math.max(1, bottom - top);
        }

        int width() {
            return Math.max(1, right - left);
        }
    }

    /** Boxes grouped into printed lines: top to bottom, each line's boxes left to right, its box their union. */
    static List<TextLine> rows(List<Box> boxes) {
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingInt(Box::top));
        List<List<Box>> rows = new ArrayList<>();
        List<int[]> extents = new ArrayList<>();
        for (Box box : sorted) {
            if (box.text().isEmpty()) {
                continue;
            }
            int row = -1;
            for (int i = rows.size() - 1; i >= 0 && i >= rows.size() - 3; i--) {
                int[] ext = extents.get(i);
                int overlap = Math.min(ext[1], box.bottom()) - Math.max(ext[0], box.top());
                if (overlap * 2 > Math.min(ext[1] - ext[0], box.height())) {
                    row = i;
                    break;
                }
            }
            if (row < 0) {
                rows.add(new ArrayList<>(List.of(box)));
                extents.add(new int[] { box.top(), box.bottom() });
            } else {
                rows.get(row).add(box);
            }
        }
        List<TextLine> lines = new ArrayList<>();
        for (List<Box> row : rows) {
            row.sort(Comparator.comparingInt(Box::left));
            Rectangle union = null;
            for (Box b : row) {
                Rectangle r = new Rectangle(b.left(), b.top(), Math.max(1, b.right() - b.left()), b.height());
                union = union == null ? r : union.union(r);
            }
            lines.add(new TextLine(String.join(" ", row.stream().map(Box::text).toList()), union));
        }
        return lines;
    }
}
