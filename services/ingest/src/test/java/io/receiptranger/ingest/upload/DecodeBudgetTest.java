package io.receiptranger.ingest.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.graphics.color.PDDeviceRGB;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.apache.pdfbox.cos.COSName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The decode budget, with a small budget (1 MiB) so the files stay small: decoded bytes count the
 * samples and their width, not only the pixels; PDFs are judged by the images they hold; what fits is
 * read subsampled to the target edge.
 */
class DecodeBudgetTest {

    static final long BUDGET = 1 << 20;

    final ImagePipeline pipeline = new ImagePipeline(ImagePipelineTest.config(BUDGET, Duration.ofSeconds(20)));

    @TempDir
    Path dir;

    PreparedImage prepare(byte[] bytes, ImageFormat format) throws Exception {
        return pipeline.prepare(Files.write(dir.resolve("upload-" + System.nanoTime()), bytes), format);
    }

    @Test
    void anImageOfWideSamplesIsRefusedByItsDecodedBytesWhileTheSamePixelsAt8BitsPass() throws Exception {
        // 500 × 500 = 0.25 MP: 750 KB as 8-bit RGB, 2 MB as 16-bit RGBA
        assertThat(prepare(BlankImages.png(500, 500, 8, 2), ImageFormat.PNG).width()).isEqualTo(500);

        assertThatThrownBy(() -> prepare(BlankImages.png(500, 500, 16, 6), ImageFormat.PNG))
                .isInstanceOfSatisfying(FileRejected.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.getMessage()).isEqualTo("image is 500×500 pixels of 8 bytes each, 2 MiB decoded;"
                            + " the limit is 1 MiB (use 8 bits per channel, or fewer pixels)");
                });
    }

    @Test
    void aTiffOfFourFloatChannelsCountsSixteenBytesAPixel() {
        assertThatThrownBy(() -> prepare(BlankImages.floatTiff(300, 300), ImageFormat.TIFF))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.getMessage())
                        .startsWith("image is 300×300 pixels of 16 bytes each, 2 MiB decoded"));
    }

    @Test
    void aPdfPageHoldingAnImageOverTheBudgetIsRefusedBeforeRendering() throws Exception {
        // 600 × 600 RGB at 4 rendered bytes a pixel = 1.4 MB, on a small page
        byte[] pdf = pdfWithImage(600, 600);

        assertThatThrownBy(() -> prepare(pdf, ImageFormat.PDF))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.getMessage())
                        .startsWith("page 1 of the PDF holds an image too large to read: image is 600×600 pixels"));
        assertThat(prepare(pdfWithImage(200, 200), ImageFormat.PDF).contentType()).isEqualTo("image/jpeg");
    }

    @Test
    void aPdfOfTooManyPagesIsRefused() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            for (int i = 0; i < 21; i++) {
                doc.addPage(new PDPage(PDRectangle.A6));
            }
            doc.save(out);
        }

        assertThatThrownBy(() -> prepare(out.toByteArray(), ImageFormat.PDF))
                .isInstanceOfSatisfying(FileRejected.class, e -> assertThat(e.getMessage())
                        .isEqualTo("the PDF has 21 pages; at most 20 are read"));
    }

    @Test
    void aBigPhotoIsReadSubsampledToTheTargetEdge() throws Exception {
        ImagePipeline pipeline = new ImagePipeline(ImagePipelineTest.CONFIG);
        byte[] photo = HostileFiles.encode(HostileFiles.halves(4000, 3000), "jpg");

        PreparedImage image = pipeline.prepare(Files.write(dir.resolve("photo.jpg"), photo), ImageFormat.JPEG);

        // every second pixel: 2000 × 1500, the long edge within 2048
        assertThat(image.width()).isEqualTo(2000);
        assertThat(image.height()).isEqualTo(1500);
    }

    @Test
    void theStepIsTheSmallestThatFitsTheTarget() {
        DecodeBudget budget = new DecodeBudget(40_000_000, BUDGET, 2048);
        assertThat(budget.step(2048, 100)).isEqualTo(1);
        assertThat(budget.step(2049, 100)).isEqualTo(2);
        assertThat(budget.step(4032, 3024)).isEqualTo(2);
        assertThat(budget.step(8064, 6048)).isEqualTo(4);
    }

    static byte[] pdfWithImage(int width, int height) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A6);
            doc.addPage(page);
            PDImageXObject image = new PDImageXObject(doc,
                    new java.io.ByteArrayInputStream(BlankImages.deflatedZeros((long) width * height * 3)),
                    COSName.FLATE_DECODE, width, height, 8, PDDeviceRGB.INSTANCE);
            try (PDPageContentStream content = new PDPageContentStream(doc, page)) {
                content.drawImage(image, 10, 10, 200, 200);
            }
            doc.save(out);
        }
        return out.toByteArray();
    }
}
