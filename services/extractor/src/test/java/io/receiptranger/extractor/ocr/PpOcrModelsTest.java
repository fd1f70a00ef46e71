package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * The steps around PP-OCR's models that are ours to get right: the detector's probability map to text
 * boxes (DBNet's post-processing, as RapidOCR does it) and the crop's direction. The models themselves
 * are exercised on real pictures by {@code PaddleOrientationTest} and {@code OfflineAccuracyTest}.
 */
class PpOcrModelsTest {

    private static final int W = 300;
    private static final int H = 200;

    @Test
    void aLineOfTextBecomesOneBoxGrownBeyondTheDetectorsShrunkKernel() {
        // Given a map where a 100 × 20 px kernel is text
        float[] prob = new float[W * H];
        fill(prob, 50, 40, 100, 20, 0.9f);

        // When the boxes are found
        List<TextBoxes.Quad> quads = TextBoxes.of(prob, W, H);

        // Then there is one, upright, grown on every side by area × 1.6 ÷ perimeter of the (dilated) kernel
        assertThat(quads).hasSize(1);
        TextBoxes.Quad q = quads.get(0);
        float grow = 100 * 20 * 1.6f / (2 * (100 + 20));
        assertThat(q.xs()[0]).isCloseTo(50 - grow, within(1.5f));
        assertThat(q.ys()[0]).isCloseTo(40 - grow, within(1.5f));
        assertThat(q.xs()[2]).isCloseTo(150 + grow, within(1.5f));
        assertThat(q.ys()[2]).isCloseTo(60 + grow, within(1.5f));
    }

    @Test
    void faintSmudgesAndSpecksAreNoText() {
        // Given a faint smudge (just over the pixel threshold, under the box score) and a speck of 2 px
        float[] prob = new float[W * H];
        fill(prob, 20, 20, 120, 30, 0.35f);
        fill(prob, 200, 150, 2, 1, 0.95f);

        // Then neither is a box
        assertThat(TextBoxes.of(prob, W, H)).isEmpty();
    }

    @Test
    void aPictureOfNoiseGivesAtMostAThousandBoxes() {
        // Given 1,650 separate specks, each big and sure enough to be a box on its own
        float[] prob = new float[W * H];
        for (int y = 0; y + 4 <= H; y += 6) {
            for (int x = 0; x + 4 <= W; x += 6) {
                fill(prob, x, y, 4, 4, 0.95f);
            }
        }

        // Then the recogniser is asked about no more than a thousand of them
        assertThat(TextBoxes.of(prob, W, H)).hasSize(TextBoxes.MAX_BOXES);
    }

    @Test
    void twoLinesApartAreTwoBoxesAndASlantedLineKeepsItsSlant() {
        // Given two lines, the lower one printed at a slant of 1 px in 5
        float[] prob = new float[W * H];
        fill(prob, 30, 20, 200, 12, 0.9f);
        for (int x = 30; x < 230; x++) {
            int top = 100 + (x - 30) / 5;
            fill(prob, x, top, 1, 12, 0.9f);
        }

        // When the boxes are found, top to bottom
        List<TextBoxes.Quad> quads = TextBoxes.of(prob, W, H).stream()
                .sorted(java.util.Comparator.comparingDouble(q -> q.ys()[0])).toList();

        // Then the upper box is level and the lower one rises from left to right as the line does
        assertThat(quads).hasSize(2);
        TextBoxes.Quad level = quads.get(0);
        TextBoxes.Quad slanted = quads.get(1);
        assertThat(level.ys()[1] - level.ys()[0]).isCloseTo(0f, within(1f));
        float slope = (slanted.ys()[1] - slanted.ys()[0]) / (slanted.xs()[1] - slanted.xs()[0]);
        assertThat(slope).isCloseTo(0.2f, within(0.02f));
    }

    @Test
    void aGreyPictureReachesTheModelsWithItsGreyValuesAsStored() {
        // Given the extractor's grey copy of a page: dark grey print (64) on white, with the white border added
        java.awt.image.BufferedImage grey = new java.awt.image.BufferedImage(4, 2, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 1, 0, 64);
        PpOcrModels.Pixels pixels = PpOcrModels.Pixels.padded(grey, 2);
        float[] bgr = new float[3];

        // Then the print is 64 in every channel (getRGB would have brightened it to 137), and the border white
        pixels.sample(3, 3, bgr);
        assertThat(bgr).containsExactly(64f, 64f, 64f);
        pixels.sample(0, 0, bgr);
        assertThat(bgr).containsExactly(255f, 255f, 255f);
    }

    @Test
    void aColourPictureReachesTheModelsWithItsColoursInBlueGreenRedOrder() {
        // Given a decoded JPEG (3-byte BGR) and an int-RGB picture, each with one orange pixel
        for (int type : new int[] { java.awt.image.BufferedImage.TYPE_3BYTE_BGR, java.awt.image.BufferedImage.TYPE_INT_RGB }) {
            java.awt.image.BufferedImage picture = new java.awt.image.BufferedImage(4, 3, type);
            picture.setRGB(2, 1, 0xF08020);
            PpOcrModels.Pixels pixels = PpOcrModels.Pixels.padded(picture, 2);
            float[] bgr = new float[3];

            // Then that pixel is blue 32, green 128, red 240, the rest of the picture black, the border white
            pixels.sample(4, 3, bgr);
            assertThat(bgr).as("type %d", type).containsExactly(32f, 128f, 240f);
            pixels.sample(2, 2, bgr);
            assertThat(bgr).as("type %d", type).containsExactly(0f, 0f, 0f);
            pixels.sample(0, 0, bgr);
            assertThat(bgr).as("type %d", type).containsExactly(255f, 255f, 255f);
            pixels.sample(7, 6, bgr);
            assertThat(bgr).as("type %d", type).containsExactly(255f, 255f, 255f);
        }
    }

    @Test
    void aCropMuchTallerThanWideIsReadTurnedAQuarter() {
        TextBoxes.Quad tall = new TextBoxes.Quad(new float[] { 10, 40, 40, 10 }, new float[] { 10, 10, 200, 200 });
        TextBoxes.Quad wide = new TextBoxes.Quad(new float[] { 10, 200, 200, 10 }, new float[] { 10, 10, 40, 40 });

        PpOcrModels.Crop turned = PpOcrModels.Crop.of(tall);
        assertThat(turned.turned()).isTrue();
        assertThat(turned.readWidth()).isEqualTo(190f);
        assertThat(turned.readHeight()).isEqualTo(30f);
        assertThat(PpOcrModels.Crop.of(wide).turned()).isFalse();
    }

    private static void fill(float[] prob, int x0, int y0, int w, int h, float p) {
        for (int y = y0; y < y0 + h; y++) {
            for (int x = x0; x < x0 + w; x++) {
                prob[y * W + x] = p;
            }
        }
    }
}
