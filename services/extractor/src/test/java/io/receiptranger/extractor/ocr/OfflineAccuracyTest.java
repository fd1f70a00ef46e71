package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.image.Upright;

/**
 * The default offline extractor (PP-OCR, pictures turned upright by Tesseract's orientation
 * detection) over the sample receipts copied from ../shared/receipts with their truth: fails below
 * 80 % exact totals, 70 % exact dates, 60 % vendors, or when a non-receipt is taken for a receipt.
 * Needs Debian's tesseract-ocr (word spacing). The real set and the engine comparison are
 * {@code OfflineAccuracyBench} (-Pbench); the README reports its figures.
 */
class OfflineAccuracyTest {

    @Test
    void theDefaultOfflineExtractorMeetsTheAccuracyFloorOnTheSamples() throws Exception {
        // Given the sample receipts and the default engine
        Tesseract tesseract = new Tesseract("tesseract", Duration.ofSeconds(60));
        PaddleOcr paddle = new PaddleOcr(PaddleOcr.DETECTOR_EDGE);
        OfflineExtractor engine = OcrEngines.offline(PaddleOcr.NAME, tesseract, new Upright(paddle::quarters), paddle);

        // When each is read offline (four of them turned in their pixels)
        OfflineAccuracy.Score score = OfflineAccuracy.run("samples",
                Path.of(OfflineAccuracyTest.class.getResource("/receipts/truth.json").toURI()).getParent(), engine);

        // Then the rates are at least the floor
        System.out.println(score.table());
        System.out.println(score.summary());
        assertThat(score.rows()).hasSizeGreaterThanOrEqualTo(15);
        assertThat(score.totals()).as("exact totals %").isGreaterThanOrEqualTo(80);
        assertThat(score.dates()).as("exact dates %").isGreaterThanOrEqualTo(70);
        assertThat(score.vendors()).as("vendors %").isGreaterThanOrEqualTo(60);
        assertThat(score.nonReceiptsRecognised()).isEqualTo(score.nonReceipts());
        assertThat(score.notAReceipt()).as("receipts taken for non-receipts").isZero();
    }
}
