package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.receiptranger.extractor.image.Upright;

/**
 * PP-OCR turns pictures upright itself on the offline path (its direction classifier and the boxes'
 * shape), instead of Tesseract's orientation detection, which took the upright sroie-131 for upside down;
 * and the same two models, without the recogniser, are the upright check before the model.
 */
class PaddleOrientationTest {

    private static final PaddleOcr PADDLE = new PaddleOcr(PaddleOcr.DETECTOR_EDGE);

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3 })
    void aReceiptTurnedInItsPixelsIsReadUpright(int quarters) throws Exception {
        // Given the sample receipt turned by 0, 1, 2 or 3 quarters clockwise in its pixels
        BufferedImage upright = OfflineExtractor.grey(read("receipt-5423.jpg"), 1.0);
        BufferedImage turned = Upright.rotate(upright, quarters);

        // When PP-OCR reads it
        OcrEngine.Page page = PADDLE.page(turned);

        // Then the page it read is the upright picture, and its lines are in reading order
        assertThat(page.image().getWidth()).isEqualTo(upright.getWidth());
        assertThat(page.image().getHeight()).isEqualTo(upright.getHeight());
        List<String> lines = page.lines().stream().map(OcrEngine.TextLine::text).toList();
        assertThat(String.join("\n", lines)).containsIgnoringCase("PEAKYOGA").contains("167.61");
        int vendor = indexOf(lines, "PEAKYOGA");
        int total = indexOf(lines, "167.61");
        assertThat(vendor).as("the vendor above the total in %s", lines).isLessThan(total);
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3 })
    void theUprightCheckBeforeTheModelSaysHowFarToTurnAPicture(int quarters) throws Exception {
        // Given the sample receipt photographed turned by 0, 1, 2 or 3 quarters clockwise (colour, as uploaded)
        BufferedImage turned = Upright.rotate(read("receipt-5423.jpg"), quarters);

        // When PP-OCR looks at where its text lies, without reading it
        int back = PADDLE.quarters(turned);

        // Then it says the quarters that turn it back upright
        assertThat(back).isEqualTo((4 - quarters) % 4);
    }

    @Test
    void aBlankPictureNeedsNoTurn() throws Exception {
        BufferedImage blank = new BufferedImage(600, 900, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = blank.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
        g.dispose();
        assertThat(PADDLE.quarters(blank)).isZero();
    }

    @Test
    void tallBoxesMakeASidewaysPictureAndTheClassifierSaysWhichWay() {
        List<PaddleOcr.Box> down = List.of(tall(0), tall(0), tall(0), tall(0), tall(0), wide(0));
        List<PaddleOcr.Box> up = List.of(tall(1), tall(1), tall(1), tall(1), tall(1), wide(1));
        // read upright after PpOcrModels' counter-clockwise turn of a tall crop: the picture was turned clockwise
        assertThat(PaddleOcr.sideways(down)).isEqualTo(3);
        assertThat(PaddleOcr.sideways(up)).isEqualTo(1);
        // a few tall boxes (single digits, a logo) do not make a picture sideways
        assertThat(PaddleOcr.sideways(List.of(tall(0), tall(0), wide(0), wide(0), wide(0), wide(0), wide(0), wide(0)))).isZero();
        assertThat(PaddleOcr.upsideDown(List.of(wide(1), wide(1)))).isTrue();
        assertThat(PaddleOcr.upsideDown(List.of(wide(0)))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = { "1x1", "3x2000", "2000x3", "800x600" })
    void aPictureWithNoTextIsReadAsNoLinesWithoutFailing(String size) throws Exception {
        // Given a blank picture, tiny or a sliver (the detector's input is at least 32 px each way)
        String[] wh = size.split("x");
        BufferedImage blank = new BufferedImage(Integer.parseInt(wh[0]), Integer.parseInt(wh[1]), BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = blank.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, blank.getWidth(), blank.getHeight());
        g.dispose();

        // Then PP-OCR finds no text in it
        assertThat(PADDLE.page(blank).lines()).isEmpty();
    }

    @Test
    void thePagesSlantIsTheMedianSlopeOfItsLinesNotOfItsWords() {
        // three lines falling 3 px in 100, one falling 10 in 100; a short word box steeper still
        List<PpOcrModels.Box> page = List.of(line(0.03f), line(0.03f), line(0.10f), line(0.03f), word(0.5f));
        assertThat(PaddleOcr.skew(page)).isCloseTo(0.03, org.assertj.core.api.Assertions.within(1e-6));
        // too few lines to tell: level
        assertThat(PaddleOcr.skew(List.of(line(0.03f), word(0.5f)))).isZero();
    }

    private static PpOcrModels.Box line(float slope) {
        return box(400, 30, slope);
    }

    private static PpOcrModels.Box word(float slope) {
        return box(60, 30, slope);
    }

    private static PpOcrModels.Box box(float width, float height, float slope) {
        float drop = width * slope;
        return new PpOcrModels.Box(new float[] { 10, 10 + width, 10 + width, 10 }, new float[] { 50, 50 + drop, 50 + drop + height, 50 + height },
                "TOTAL", new float[0], 0);
    }

    private static PaddleOcr.Box tall(int angle) {
        return new PaddleOcr.Box(0, 300, 0, 30, "TOTAL 1.00", angle);
    }

    private static PaddleOcr.Box wide(int angle) {
        return new PaddleOcr.Box(0, 30, 0, 300, "TOTAL 1.00", angle);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).toUpperCase(java.util.Locale.ROOT).replace(" ", "").contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static BufferedImage read(String name) throws IOException {
        try (InputStream in = PaddleOrientationTest.class.getResourceAsStream("/receipts/" + name)) {
            return ImageIO.read(in);
        }
    }
}
