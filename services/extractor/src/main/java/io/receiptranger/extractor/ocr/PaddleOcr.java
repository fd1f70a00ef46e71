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
    /** The detector's input, long edge (measured: README, "Speed"); recognition still reads the full-size crops. */
    static final int DETECTOR_EDGE = 0;
    private static final Object LOCK = new Object();

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
            // Upright already (image.Upright); the 180° classifier costs time and flips good lines.
            params.setDoAngle(false);
            params.setMostAngle(false);
            OcrResult result;
            synchronized (LOCK) {
                result = e.runOcr(file.toString(), params);
            }
            List<Box> boxes = new ArrayList<>();
            for (TextBlock block : result.getTextBlocks()) {
                boxes.add(Box.of(block));
            }
            return rows(boxes);
        } finally {
            Files.deleteIfExists(file);
        }
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

    /** One detected text box: its extent and text. */
    record Box(int top, int bottom, int left, int right, String text) {
        static Box of(TextBlock block) {
            int top = Integer.MAX_VALUE, bottom = Integer.MIN_VALUE, left = Integer.MAX_VALUE, right = Integer.MIN_VALUE;
            for (Point p : block.getBoxPoint()) {
                top = Math.min(top, p.getY());
                bottom = Math.max(bottom, p.getY());
                left = Math.min(left, p.getX());
                right = Math.max(right, p.getX());
            }
            return new Box(top, bottom, left, right, block.getText() == null ? "" : block.getText().strip());
        }

        int height() {
            return Math.max(1, bottom - top);
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
