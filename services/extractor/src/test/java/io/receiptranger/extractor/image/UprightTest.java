package io.receiptranger.extractor.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.imageio.ImageIO;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.ocr.Tesseract;

/** Pictures turned in their pixels (no EXIF) come out upright; needs Debian's tesseract-ocr (osd data). */
class UprightTest {

    /** As the service makes it: the default least confidence (ranger.ocr.upright-min-confidence). */
    private static final Upright UPRIGHT = new Upright(new Tesseract("tesseract", Duration.ofSeconds(60)), 1.0);

    @ParameterizedTest
    @ValueSource(ints = { 1, 2, 3 })
    void aReceiptTurnedInItsPixelsIsTurnedBack(int quarters) throws IOException {
        // Given an upright sample receipt turned by a quarter, a half, three quarters
        BufferedImage upright = rgb(read("receipt-5423.jpg"));
        BufferedImage turned = Upright.rotate(upright, quarters);

        // When it is made upright
        BufferedImage result = UPRIGHT.apply(jpeg(turned), turned);

        // Then it is the original again, pixel for pixel (quarter turns are lossless)
        assertThat(result.getWidth()).isEqualTo(upright.getWidth());
        assertThat(result.getHeight()).isEqualTo(upright.getHeight());
        assertThat(samePixels(result, upright)).isTrue();
    }

    @Test
    void anUprightReceiptIsLeftAsItIs() throws IOException {
        BufferedImage upright = read("receipt-5423.jpg");
        assertThat(UPRIGHT.apply(jpeg(upright), upright)).isSameAs(upright);
    }

    @Test
    void anUpsideDownClaimThatHoldsForThePictureTurnedOverToo() throws IOException {
        // Given a Tesseract that calls every picture upside down, as it called the upright sroie-131 (180 at 4.45)
        Path fake = Files.createTempFile("fake-tesseract-", ".sh");
        Files.writeString(fake, "#!/bin/sh\necho 'Rotate: 180'\necho 'Orientation confidence: 4.45'\n");
        fake.toFile().setExecutable(true);
        Upright upright = new Upright(new Tesseract(fake.toString(), Duration.ofSeconds(10)), 2.0);
        BufferedImage receipt = read("receipt-5423.jpg");
        try {
            // Then the picture is left as it is: turned over it would be "upside down" again
            assertThat(upright.apply(jpeg(receipt), receipt)).isSameAs(receipt);
        } finally {
            Files.delete(fake);
        }
    }

    @Test
    void aSmallSidewaysPhotoIsTurned() throws IOException {
        // Photo 9619.png: 627 × 566, printed sideways
        BufferedImage sideways = read("Photo 9619.png");
        BufferedImage result = UPRIGHT.apply(new byte[0], sideways);
        assertThat(result.getHeight()).isGreaterThan(result.getWidth());
    }

    @ParameterizedTest
    @ValueSource(ints = { 1, 3 })
    void aLongTillRollPhotographedSidewaysIsTurnedBack(int quarters) throws IOException {
        // Given a till roll five receipts long (399 × 2975, a narrow strip like the real scans) photographed
        // sideways. Brought to 1600 px on its long edge, as before, its print was too small for Tesseract
        // to tell the direction (confidence 0.80 and 0.35, the wrong way), and it went to the model sideways.
        BufferedImage receipt = rgb(read("receipt-5423.jpg"));
        BufferedImage roll = new BufferedImage(receipt.getWidth(), receipt.getHeight() * 5, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = roll.createGraphics();
        for (int i = 0; i < 5; i++) {
            g.drawImage(receipt, 0, i * receipt.getHeight(), null);
        }
        g.dispose();
        BufferedImage sideways = Upright.rotate(roll, quarters);

        // When it is made upright, then it stands as printed again
        BufferedImage result = UPRIGHT.apply(new byte[0], sideways);
        assertThat(result.getWidth()).isEqualTo(roll.getWidth());
        assertThat(samePixels(result, roll)).isTrue();
    }

    @Test
    void aPictureWithoutTextAndAMissingTesseractLeaveThePictureAlone() {
        BufferedImage blank = new BufferedImage(300, 200, BufferedImage.TYPE_INT_RGB);
        assertThat(UPRIGHT.apply(new byte[0], blank)).isSameAs(blank);
        Upright without = new Upright(new Tesseract("/nonexistent/tesseract", Duration.ofSeconds(5)), 2.0);
        assertThat(without.apply(new byte[0], blank)).isSameAs(blank);
    }

    @Test
    void tesseractsReportIsReadOnlyWhenConfident() {
        assertThat(Upright.quarters("Orientation in degrees: 270\nRotate: 90\nOrientation confidence: 7.01", 2.0)).isEqualTo(1);
        assertThat(Upright.quarters("Rotate: 180\nOrientation confidence: 13.97", 2.0)).isEqualTo(2);
        assertThat(Upright.quarters("Rotate: 270\nOrientation confidence: 1.10", 2.0)).isZero();
        assertThat(Upright.quarters("Too few characters. Skipping this page", 2.0)).isZero();
    }

    private static boolean samePixels(BufferedImage a, BufferedImage b) {
        for (int y = 0; y < a.getHeight(); y += 7) {
            for (int x = 0; x < a.getWidth(); x += 7) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static BufferedImage rgb(BufferedImage src) {
        return Upright.rotate(Upright.rotate(src, 2), 2);
    }

    static BufferedImage read(String name) throws IOException {
        try (InputStream in = UprightTest.class.getResourceAsStream("/receipts/" + name)) {
            return ImageIO.read(in);
        }
    }

    static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }
}
