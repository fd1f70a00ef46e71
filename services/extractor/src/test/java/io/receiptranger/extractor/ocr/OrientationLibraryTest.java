package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.receiptranger.extractor.image.Upright;

/**
 * libtesseract in process says what the {@code tesseract} command says (needs Debian's tesseract-ocr,
 * which brings libtesseract5 and the osd model; .ci/run installs it).
 */
class OrientationLibraryTest {

    private static final Path SAMPLES = Path.of("../../samples/receipts");
    private static final Pattern ROTATE = Pattern.compile("Rotate: (\\d+)");
    private static final Pattern CONFIDENCE = Pattern.compile("Orientation confidence: ([0-9.]+)");

    private final OrientationLibrary library = OrientationLibrary.load(2).orElseThrow(
            () -> new AssertionError("libtesseract did not load: install tesseract-ocr"));
    private final Tesseract command = new Tesseract("tesseract", Duration.ofSeconds(60));

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3 })
    void itReportsTheTurnAndTheConfidenceTheCommandReports(int quarters) throws Exception {
        BufferedImage turned = Upright.rotate(sample(), quarters);

        String inProcess = library.report(turned);
        String cli = command.orientation(png(turned));

        assertThat(number(ROTATE, inProcess)).isEqualTo(number(ROTATE, cli)).isEqualTo((4 - quarters) % 4 * 90.0);
        assertThat(number(CONFIDENCE, inProcess)).isCloseTo(number(CONFIDENCE, cli), within(0.05));
    }

    @Test
    void aPictureWithoutTextHasNoOrientation() {
        BufferedImage blank = new BufferedImage(600, 400, BufferedImage.TYPE_BYTE_GRAY);
        blank.getRaster().setSamples(0, 0, 600, 400, 0, new int[600 * 400]);

        assertThatThrownBy(() -> library.report(blank)).hasMessageContaining("too few characters");
    }

    @Test
    void moreThreadsThanEnginesTakeTurnsAndAllGetTheirAnswer() throws Exception {
        BufferedImage sideways = Upright.rotate(sample(), 1);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> reports = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                reports.add(pool.submit(() -> library.report(sideways)));
            }
            for (Future<String> report : reports) {
                assertThat(number(ROTATE, report.get())).isEqualTo(270.0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The sample receipt as Upright hands it over: grey, 1600 px on its long edge (at 600 px there is too little text). */
    private static BufferedImage sample() throws IOException {
        BufferedImage receipt = ImageIO.read(SAMPLES.resolve("receipt-5423.jpg").toFile());
        double scale = 1600.0 / Math.max(receipt.getWidth(), receipt.getHeight());
        BufferedImage grey = new BufferedImage((int) (receipt.getWidth() * scale), (int) (receipt.getHeight() * scale),
                BufferedImage.TYPE_BYTE_GRAY);
        java.awt.Graphics2D g = grey.createGraphics();
        g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION, java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(receipt, 0, 0, grey.getWidth(), grey.getHeight(), null);
        g.dispose();
        return grey;
    }

    private static double number(Pattern pattern, String report) {
        Matcher m = pattern.matcher(report);
        assertThat(m.find()).as(report).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }
}
