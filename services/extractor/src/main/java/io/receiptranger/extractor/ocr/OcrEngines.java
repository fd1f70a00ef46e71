package io.receiptranger.extractor.ocr;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.Upright;

/** The configured offline extractor (engine + word spacing) and the orientation step, built once from {@code ranger.ocr.*}. */
public class OcrEngines {

    @Produces
    @Singleton
    OfflineExtractor offline(ExtractorConfig config, Upright upright) {
        return offline(config.ocr().engine(), tesseract(config), upright);
    }

    @Produces
    @Singleton
    Upright upright(ExtractorConfig config) {
        if (!config.ocr().upright()) {
            return Upright.OFF;
        }
        OrientationLibrary library = config.ocr().orientationInProcess()
                ? OrientationLibrary.load(Runtime.getRuntime().availableProcessors()).orElse(null) : null;
        return new Upright(tesseract(config), library, config.ocr().uprightMinConfidence());
    }

    /**
     * The offline extractor with the engine named; PP-OCR's vendor lines get their word breaks from
     * {@code tesseract} ({@link WordSpacing}), Tesseract spaces words itself. {@code upright} turns the
     * pictures of an engine that cannot find the text's direction itself (Tesseract; PP-OCR can).
     */
    public static OfflineExtractor offline(String name, Tesseract tesseract, Upright upright) {
        OcrEngine engine = of(name, tesseract);
        return new OfflineExtractor(engine, engine instanceof PaddleOcr ? tesseract : null, upright);
    }

    /** {@code paddle} or {@code tesseract}; anything else fails startup with the choices. */
    public static OcrEngine of(String name, Tesseract tesseract) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case PaddleOcr.NAME -> new PaddleOcr(PaddleOcr.DETECTOR_EDGE);
            case Tesseract.NAME -> tesseract;
            default -> throw new IllegalArgumentException("ranger.ocr.engine must be paddle or tesseract, not " + name);
        };
    }

    private static Tesseract tesseract(ExtractorConfig config) {
        return new Tesseract(config.ocr().command(), config.ocr().timeout());
    }
}
