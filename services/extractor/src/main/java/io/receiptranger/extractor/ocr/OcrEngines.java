package io.receiptranger.extractor.ocr;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.Upright;

/** The configured OCR engine and the orientation step, built once from {@code ranger.ocr.*}. */
public class OcrEngines {

    @Produces
    @Singleton
    OcrEngine engine(ExtractorConfig config) {
        return of(config.ocr().engine(), tesseract(config));
    }

    @Produces
    @Singleton
    Upright upright(ExtractorConfig config) {
        return config.ocr().upright() ? new Upright(tesseract(config), config.ocr().uprightMinConfidence()) : Upright.OFF;
    }

    /** {@code paddle} or {@code tesseract}; anything else fails startup with the choices. */
    public static OcrEngine of(String name, Tesseract tesseract) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case PaddleOcr.NAME -> new PaddleOcr();
            case Tesseract.NAME -> tesseract;
            default -> throw new IllegalArgumentException("ranger.ocr.engine must be paddle or tesseract, not " + name);
        };
    }

    private static Tesseract tesseract(ExtractorConfig config) {
        return new Tesseract(config.ocr().command(), config.ocr().timeout());
    }
}
