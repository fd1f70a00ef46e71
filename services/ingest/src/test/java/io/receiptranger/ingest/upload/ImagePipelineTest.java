package io.receiptranger.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.ingest.TestFiles;
import io.receiptranger.ingest.config.IngestConfig;

/** Every format in, an upright JPEG/PNG of at most 2048 px out; hostile files refused with a reason. */
class ImagePipelineTest {

    static final IngestConfig.Images CONFIG = config(167_772_160L, Duration.ofSeconds(20));

    /** The defaults of application.properties, with the decode budget and HEIC deadline given. */
    static IngestConfig.Images config(long maxDecodedBytes, Duration heifTimeout) {
        return config(maxDecodedBytes, heifTimeout, "heif-thumbnailer");
    }

    static IngestConfig.Images config(long maxDecodedBytes, Duration heifTimeout, String heifCommand) {
        return new IngestConfig.Images() {
            public long maxPixels() { return 40_000_000; }
            public long maxDecodedBytes() { return maxDecodedBytes; }
            public int maxPdfPages() { return 20; }
            public int maxEdge() { return 2048; }
            public float jpegQuality() { return 0.9f; }
            public String heifCommand() { return heifCommand; }
            public Duration heifTimeout() { return heifTimeout; }
        };
    }

    final ImagePipeline pipeline = new ImagePipeline(CONFIG);

    @TempDir
    Path dir;

    PreparedImage prepare(byte[] bytes) throws FileRejected, IOException {
        Path file = Files.write(dir.resolve("upload-" + System.nanoTime()), bytes);
        ImageFormat format = ImageFormat.sniff(Arrays2.head(bytes)).orElseThrow(() -> new FileRejected(415, "unknown"));
        return pipeline.prepare(file, format);
    }

    static BufferedImage decode(PreparedImage image) throws IOException {
        return ImageIO.read(new ByteArrayInputStream(image.bytes()));
    }

    @Test
    void everySampleReceiptBecomesAModelReadyImage() throws Exception {
        for (String name : List.of("receipt-5423.jpg", "IMG_1097.png", "Receipt_43247.pdf", "scan_548.JPG", "PXL_20260402_916358.jpg")) {
            PreparedImage image = prepare(TestFiles.bytes(name));
            assertThat(image.contentType()).as(name).isIn("image/jpeg", "image/png");
            assertThat(Math.max(image.width(), image.height())).as(name).isLessThanOrEqualTo(2048);
            assertThat(decode(image).getWidth()).as(name).isEqualTo(image.width());
        }
    }

    @Test
    void thePdfsFirstPageIsRenderedToAJpegOfAtMost2048Pixels() throws Exception {
        PreparedImage image = prepare(TestFiles.bytes("Receipt_43247.pdf"));

        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.bytes()[0] & 0xFF).isEqualTo(0xFF);
        assertThat(Math.max(image.width(), image.height())).isLessThanOrEqualTo(2048);
        assertThat(image.height()).isGreaterThan(image.width());
    }

    @Test
    void everyPageOfAPdfIsInTheImageOneUnderTheOther() throws Exception {
        // Given an invoice of two A6 pages: a black bar at the top of page 1, one at the bottom of page 2
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            for (float barY : new float[] { 380, 20 }) {
                PDPage page = new PDPage(PDRectangle.A6);
                doc.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                    content.addRect(40, barY, 217, 20);
                    content.fill();
                }
            }
            doc.save(out);
        }

        // When it is prepared
        BufferedImage image = decode(prepare(out.toByteArray()));

        // Then both pages are there, page 1 above page 2, the whole within 2048 px
        assertThat(image.getHeight()).isLessThanOrEqualTo(2048);
        assertThat((double) image.getHeight() / image.getWidth()).isCloseTo(2 * 419.53 / 297.64, within(0.02));
        int page = image.getHeight() / 2;
        int x = image.getWidth() / 2;
        assertThat(image.getRGB(x, page * 30 / 419) & 0xFF).as("page 1's bar").isLessThan(60);
        assertThat(image.getRGB(x, page + page * 389 / 419) & 0xFF).as("page 2's bar").isLessThan(60);
        assertThat(image.getRGB(x, page / 2) & 0xFF).as("between them").isGreaterThan(200);
        assertThat(image.getRGB(x, page + page / 2) & 0xFF).isGreaterThan(200);
    }

    @Test
    void gifBmpTiffAndWebpAreConvertedToJpeg() throws Exception {
        BufferedImage source = HostileFiles.halves(300, 200);
        for (String format : List.of("gif", "bmp", "tiff")) {
            PreparedImage image = prepare(HostileFiles.encode(source, format));
            assertThat(image.contentType()).as(format).isEqualTo("image/jpeg");
            assertThat(image.width()).as(format).isEqualTo(300);
        }
        PreparedImage webp = prepare(Base64.getDecoder().decode(HostileFiles.WEBP_1X1));
        assertThat(webp.contentType()).isEqualTo("image/jpeg");
        assertThat(webp.width()).isEqualTo(1);
    }

    @Test
    void exifOrientationIsAppliedAndMetadataDropped() throws Exception {
        // Given a 300×100 JPEG stored sideways (orientation 6: turn right to view)
        byte[] sideways = HostileFiles.withExifOrientation(HostileFiles.encode(HostileFiles.halves(300, 100), "jpg"), 6);
        assertThat(ImagePipeline.orientation(Files.write(dir.resolve("o.jpg"), sideways))).isEqualTo(6);

        // When normalised
        PreparedImage image = prepare(sideways);

        // Then it is 100×300, the black half now on top, and no EXIF is left
        BufferedImage upright = decode(image);
        assertThat(upright.getWidth()).isEqualTo(100);
        assertThat(upright.getHeight()).isEqualTo(300);
        assertThat(upright.getRGB(50, 20) & 0xFF).isLessThan(60);
        assertThat(upright.getRGB(50, 280) & 0xFF).isGreaterThan(200);
        assertThat(ImagePipeline.orientation(Files.write(dir.resolve("n.jpg"), image.bytes()))).isEqualTo(1);
        assertThat(new String(image.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("Exif");
    }

    @Test
    void bigImagesAreReadSubsampledSoTheLongEdgeIsAtMost2048() throws Exception {
        PreparedImage image = prepare(HostileFiles.encode(HostileFiles.halves(5000, 1000), "jpg"));

        // every third pixel: 5000 / 3
        assertThat(image.width()).isEqualTo(1667);
        assertThat(image.height()).isEqualTo(334);
    }

    @Test
    void aPixelFloodIsRefusedFromItsHeader() {
        assertThatThrownBy(() -> prepare(HostileFiles.pngPixelFlood(40000, 40000)))
                .isInstanceOfSatisfying(FileRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("image is 40000×40000 pixels; the limit is 40 megapixels");
                });
    }

    @Test
    void aTruncatedJpegIs422() {
        assertThatThrownBy(() -> prepare(HostileFiles.truncated(TestFiles.bytes("receipt-5423.jpg"))))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void aCorruptPngAndACorruptPdfAre422() {
        assertThatThrownBy(() -> prepare(HostileFiles.truncated(TestFiles.bytes("IMG_1097.png"))))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThatThrownBy(() -> prepare("%PDF-1.7\nnot really a pdf".getBytes()))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.status()).isEqualTo(422));
    }

    @Test
    void aPolyglotLosesItsPayloadInTheReEncoding() throws Exception {
        PreparedImage image = prepare(HostileFiles.polyglot(TestFiles.bytes("receipt-5423.jpg")));

        assertThat(new String(image.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("<script>");
        assertThat(decode(image)).isNotNull();
    }

    @Test
    void heicIsConvertedToAnUprightJpeg() throws Exception {
        // Given a HEIC made from a sample receipt with libheif's heif-enc
        Path jpeg = Files.write(dir.resolve("in.jpg"), HostileFiles.encode(HostileFiles.halves(640, 480), "jpg"));
        Path heic = dir.resolve("in.heic");
        Process enc = new ProcessBuilder("heif-enc", "-q", "80", "-o", heic.toString(), jpeg.toString())
                .redirectErrorStream(true).start();
        enc.getInputStream().readAllBytes();
        assertThat(enc.waitFor()).as("heif-enc (apt-get install libheif-examples)").isZero();

        // When normalised
        PreparedImage image = prepare(Files.readAllBytes(heic));

        // Then a JPEG of the same size
        assertThat(image.contentType()).isEqualTo("image/jpeg");
        assertThat(image.width()).isEqualTo(640);
        assertThat(image.height()).isEqualTo(480);
        assertThat(decode(image).getRGB(10, 240) & 0xFF).isLessThan(60);
    }

    /** Tiny helper kept here: the first bytes of an array. */
    static final class Arrays2 {
        static byte[] head(byte[] b) {
            return java.util.Arrays.copyOf(b, Math.min(b.length, ImageFormat.SNIFF_BYTES));
        }
    }
}
