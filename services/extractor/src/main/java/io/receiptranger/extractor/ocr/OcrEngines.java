package io.receiptranger.extractor.ocr;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.Upright;

/**
 * The configured offline extractor (engine + word spacing) and the orientation step, built once from
 * {@code ranger.ocr.*}. One PP-OCR for both: its models are loaded once, on first use.
 */
public class OcrEngines {

    @Produces
    @Singleton
    PaddleOcr paddle() {
        return new PaddleOcr(PaddleOcr.DETECTOR_EDGE);
    }

    void close(@Disposes PaddleOcr paddle) {
        paddle.close();
    }

    /**
     * With PP-OCR's upright check in front of the model, its models load in the background as the
     * service starts (≈ 1.6 s on the build machine): the receipts waiting after a restart do not queue
     * behind the load. Without a model the offline engine loads them at startup anyway
     * ({@code ExtractionService}).
     */
    void loadEarly(@Observes StartupEvent started, ExtractorConfig config, PaddleOcr paddle) {
        if (config.ocr().upright() && PaddleOcr.NAME.equals(uprightBy(config))) {
            Thread loader = new Thread(paddle::available, "pp-ocr-load");
            loader.setDaemon(true);
            loader.start();
        }
    }

    @Produces
    @Singleton
    OfflineExtractor offline(ExtractorConfig config, Upright upright, PaddleOcr paddle) {
        return offline(config.ocr().engine(), tesseract(config), upright, paddle);
    }

    @Produces
    @Singleton
    Upright upright(ExtractorConfig config, PaddleOcr paddle) {
        if (!config.ocr().upright()) {
            return Upright.OFF;
        }
        return switch (uprightBy(config)) {
            case PaddleOcr.NAME -> new Upright(paddle::quarters);
            case Tesseract.NAME -> new Upright(tesseract(config), config.ocr().orientationInProcess()
                    ? OrientationLibrary.load(Runtime.getRuntime().availableProcessors()).orElse(null) : null,
                    config.ocr().uprightMinConfidence());
            default -> throw new IllegalArgumentException(
                    "ranger.ocr.upright-by must be paddle or tesseract, not " + config.ocr().uprightBy());
        };
    }

    /**
     * The offline extractor with the engine named ({@code paddle} reads with {@code paddle}); PP-OCR's
     * vendor lines get their word breaks from {@code tesseract} ({@link WordSpacing}), Tesseract spaces
     * words itself. {@code upright} turns the pictures of an engine that cannot find the text's direction
     * itself (Tesseract; PP-OCR can). Any other name fails startup with the choices.
     */
    static OfflineExtractor offline(String name, Tesseract tesseract, Upright upright, PaddleOcr paddle) {
        OcrEngine engine = switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case PaddleOcr.NAME -> paddle;
            case Tesseract.NAME -> tesseract;
            default -> throw new IllegalArgumentException("ranger.ocr.engine must be paddle or tesseract, not " + name);
        };
        return new OfflineExtractor(engine, engine instanceof PaddleOcr ? tesseract : null, upright);
    }

    private static String uprightBy(ExtractorConfig config) {
        return config.ocr().uprightBy().trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static Tesseract tesseract(ExtractorConfig config) {
        return new Tesseract(config.ocr().command(), config.ocr().timeout());
    }
}
