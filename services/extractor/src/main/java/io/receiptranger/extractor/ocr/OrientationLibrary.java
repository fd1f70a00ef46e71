package io.receiptranger.extractor.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.FloatByReference;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;

import io.quarkus.logging.Log;

/**
 * Tesseract's orientation detection inside this process: libtesseract (the library the
 * {@code tesseract-ocr} package installs) through JNA, its "osd" model loaded once per engine and
 * kept. The CLI pays for a process and for loading that 10 MB model on every receipt — 0.7 s of CPU
 * where the detection itself is ≈ 0.3 s — and the upright check runs before every model call, so
 * with a fast model it was most of a receipt's cost (issue 13). Same detection, same numbers: the
 * report has the CLI's {@code Rotate:} and {@code Orientation confidence:} lines.
 *
 * <p>An engine (a {@code TessBaseAPI}) is not thread-safe: at most {@code engines} exist, each used
 * by one thread at a time. Only grey pixels this service decoded and scaled itself reach the
 * library (never the uploaded bytes), so a crafted file cannot reach its image decoders.
 */
public final class OrientationLibrary {

    /** The C API of libtesseract 4/5 that orientation detection needs. */
    interface Api extends Library {
        Pointer TessBaseAPICreate();

        int TessBaseAPIInit3(Pointer handle, String dataPath, String language);

        void TessBaseAPISetPageSegMode(Pointer handle, int mode);

        void TessBaseAPISetImage(Pointer handle, byte[] pixels, int width, int height, int bytesPerPixel, int bytesPerLine);

        void TessBaseAPISetSourceResolution(Pointer handle, int ppi);

        int TessBaseAPIDetectOrientationScript(Pointer handle, IntByReference orientDegrees, FloatByReference orientConfidence,
                PointerByReference scriptName, FloatByReference scriptConfidence);

        void TessBaseAPIClear(Pointer handle);

        void TessBaseAPIDelete(Pointer handle);
    }

    /** PSM_OSD_ONLY, as {@code --psm 0}. */
    private static final int OSD_ONLY = 0;
    /** What the CLI assumes for a picture without a resolution (the thresholds were measured with it). */
    private static final int PPI = 70;

    private final Api api;
    private final int engines;
    private final BlockingQueue<Pointer> idle;
    private final AtomicInteger created = new AtomicInteger();

    private OrientationLibrary(Api api, int engines) {
        this.api = api;
        this.engines = engines;
        this.idle = new ArrayBlockingQueue<>(engines);
    }

    /** The library with up to {@code engines} engines, or empty (logged) when libtesseract or its osd model is missing. */
    public static Optional<OrientationLibrary> load(int engines) {
        try {
            Api api = api();
            OrientationLibrary library = new OrientationLibrary(api, Math.max(1, engines));
            // One engine now: a missing osd.traineddata shows at start-up, not on the first receipt.
            library.idle.add(library.newEngine());
            return Optional.of(library);
        } catch (UnsatisfiedLinkError | IOException | RuntimeException e) {
            Log.infof("libtesseract not usable in process (%s): orientation detection runs the tesseract command", e.getMessage());
            return Optional.empty();
        }
    }

    /** libtesseract by its link name (the -dev package's symlink), else the runtime package's versioned file. */
    private static Api api() {
        UnsatisfiedLinkError first = null;
        for (String name : new String[] {"tesseract", "libtesseract.so.5", "libtesseract.so.4"}) {
            try {
                return Native.load(name, Api.class);
            } catch (UnsatisfiedLinkError e) {
                first = first == null ? e : first;
            }
        }
        throw first;
    }

    /**
     * The orientation report of a picture ({@code Rotate: 90}, {@code Orientation confidence: 4.2}),
     * or an {@link IOException} when it has too little text to tell (the CLI's exit code 1).
     */
    public String report(BufferedImage image) throws IOException, InterruptedException {
        BufferedImage grey = grey(image);
        byte[] pixels = (byte[]) grey.getRaster().getDataElements(0, 0, grey.getWidth(), grey.getHeight(), null);
        Pointer engine = take();
        try {
            api.TessBaseAPISetImage(engine, pixels, grey.getWidth(), grey.getHeight(), 1, grey.getWidth());
            api.TessBaseAPISetSourceResolution(engine, PPI);
            IntByReference degrees = new IntByReference();
            FloatByReference confidence = new FloatByReference();
            if (api.TessBaseAPIDetectOrientationScript(engine, degrees, confidence, new PointerByReference(), new FloatByReference()) == 0) {
                throw new IOException("too few characters to detect the orientation");
            }
            // The CLI's "Rotate" is the clockwise turn that makes the page upright: 360° − the detected orientation.
            int rotate = (360 - degrees.getValue() % 360) % 360;
            return String.format(Locale.ROOT, "Rotate: %d%nOrientation confidence: %.2f%n", rotate, confidence.getValue());
        } finally {
            api.TessBaseAPIClear(engine);
            idle.add(engine);
        }
    }

    private Pointer take() throws IOException, InterruptedException {
        Pointer engine = idle.poll();
        if (engine != null) {
            return engine;
        }
        synchronized (this) {
            if (created.get() < engines) {
                return newEngine();
            }
        }
        return idle.take();
    }

    private Pointer newEngine() throws IOException {
        Pointer engine = api.TessBaseAPICreate();
        // Data path null: the library's own (TESSDATA_PREFIX, else where the package put osd.traineddata).
        if (api.TessBaseAPIInit3(engine, null, "osd") != 0) {
            api.TessBaseAPIDelete(engine);
            throw new IOException("libtesseract could not load its osd model (osd.traineddata)");
        }
        api.TessBaseAPISetPageSegMode(engine, OSD_ONLY);
        created.incrementAndGet();
        return engine;
    }

    private static BufferedImage grey(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_BYTE_GRAY) {
            return image;
        }
        BufferedImage grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = grey.createGraphics();
        g.drawImage(image, 0, 0, Color.WHITE, null);
        g.dispose();
        return grey;
    }
}
