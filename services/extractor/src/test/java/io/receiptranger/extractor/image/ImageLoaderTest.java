package io.receiptranger.extractor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.it.TestImages;

/** Outside producers' images are validated like uploads (CONTRACT §2, extractor issue). */
class ImageLoaderTest {

    @TempDir
    Path dir;
    Path store;
    ImageLoader loader;

    @BeforeEach
    void setUp() throws Exception {
        store = Files.createDirectories(dir.resolve("blobs"));
        loader = new ImageLoader(FileBlobReader.forSpec("file:" + store, 10 * 1024 * 1024), 512 * 1024,
                new ImageNormaliser(2048));
    }

    @Test
    void aFileInsideTheStoreIsReadAndSniffed() throws Exception {
        Path file = store.resolve("a.png");
        Files.write(file, TestImages.png(40, 30));

        ReceiptImage image = loader.load(new ImageRef(file.toUri().toString(), null));

        assertThat(image.format()).isEqualTo(ImageFormat.PNG);
        assertThat(image.bytes()).isEqualTo(Files.readAllBytes(file));
    }

    @Test
    void bothFileUriFormsAndPercentEncodingAreRead() throws Exception {
        Path file = Files.write(store.resolve("a b.png"), TestImages.png(20, 20));

        assertThat(loader.load(new ImageRef(file.toUri().toString(), null)).format()).isEqualTo(ImageFormat.PNG);
        assertThat(loader.load(new ImageRef("file:" + store + "/a%20b.png", null)).format()).isEqualTo(ImageFormat.PNG);
    }

    @Test
    void pathsOutsideTheStoreAreRefusedEvenThroughDotDotOrSymlinks() throws Exception {
        Path outside = Files.write(dir.resolve("secret.png"), TestImages.png(10, 10));
        Path link = Files.createSymbolicLink(store.resolve("link.png"), outside);

        assertThatThrownBy(() -> loader.load(new ImageRef(outside.toUri().toString(), null)))
                .hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("file://" + store + "/../secret.png", null)))
                .hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef(link.toUri().toString(), null)))
                .hasMessageContaining("outside the blob store");
    }

    @Test
    void otherSchemesAndMissingFilesAreRefusedWithAReason() {
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://bucket/key.jpg", null))).hasMessageContaining("s3 URI");
        assertThatThrownBy(() -> loader.load(new ImageRef("https://example.com/x.jpg", null))).hasMessageContaining("https");
        assertThatThrownBy(() -> loader.load(new ImageRef(store.resolve("nope.png").toUri().toString(), null)))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> loader.load(new ImageRef(null, null))).hasMessageContaining("no image");
    }

    @Test
    void inlineBase64IsDecodedSniffedAndBounded() throws Exception {
        String png = Base64.getEncoder().encodeToString(TestImages.png(20, 20));
        assertThat(loader.load(new ImageRef(null, png)).format()).isEqualTo(ImageFormat.PNG);

        byte[] big = new byte[600 * 1024];
        big[0] = (byte) 0xFF;
        big[1] = (byte) 0xD8;
        big[2] = (byte) 0xFF;
        assertThatThrownBy(() -> loader.load(new ImageRef(null, Base64.getEncoder().encodeToString(big))))
                .hasMessageContaining("512 KiB");
        assertThatThrownBy(() -> loader.load(new ImageRef(null, "!!!not base64!!!"))).hasMessageContaining("not valid base64");
    }

    @Test
    void onlyJpegPngAndWebpPassTheSniff() {
        String gif = Base64.getEncoder().encodeToString("GIF89a\u0001\u0000\u0001\u0000".getBytes());
        assertThatThrownBy(() -> loader.load(new ImageRef(null, gif))).hasMessageContaining("not a JPEG, PNG or WebP");
        assertThat(ImageFormat.sniff("RIFF\0\0\0\0WEBPVP8 ".getBytes())).contains(ImageFormat.WEBP);
        assertThat(ImageFormat.sniff(new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0 })).contains(ImageFormat.JPEG);
    }

    @Test
    void aCorruptImageIsRefused() {
        byte[] truncated = Arrays.copyOf(TestImages.png(200, 200), 60);
        String b64 = Base64.getEncoder().encodeToString(truncated);

        assertThatThrownBy(() -> loader.load(new ImageRef(null, b64))).hasMessageContaining("corrupt");
    }

    @Test
    void aLargeImageIsReadSubsampledToAtMost2048Pixels() throws Exception {
        BufferedImage large = new BufferedImage(3000, 1000, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(large, "jpeg", out);
        Path file = Files.write(store.resolve("large.jpg"), out.toByteArray());

        ReceiptImage image = loader.load(new ImageRef(file.toUri().toString(), null));

        BufferedImage read = ImageIO.read(new ByteArrayInputStream(image.bytes()));
        assertThat(image.format()).isEqualTo(ImageFormat.JPEG);
        // every second pixel, decoded so, never at full size
        assertThat(read.getWidth()).isEqualTo(1500);
        assertThat(read.getHeight()).isEqualTo(500);
    }

    @Test
    void anImageOverTheDecodeBudgetIsRefusedFromItsHeader() throws Exception {
        // 6000 × 6000 = 36 MP (under the pixel cap) of 16-bit RGBA = 288 MB decoded, in a PNG of a few KB
        Path file = Files.write(store.resolve("bomb.png"), blankPng(6000, 6000));

        assertThatThrownBy(() -> loader.load(new ImageRef(file.toUri().toString(), null)))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage("The image is 6000×6000 pixels of 8 bytes each, 275 MiB decoded; at most 160 MiB are read.");
    }

    /** A PNG of 16-bit RGBA zeros, written by hand (deflated zeros: a few hundred KB). */
    static byte[] blankPng(int width, int height) throws Exception {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        try (java.util.zip.DeflaterOutputStream z = new java.util.zip.DeflaterOutputStream(idat,
                new java.util.zip.Deflater(9))) {
            byte[] row = new byte[1 + width * 8];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
        chunk(out, "IHDR", java.nio.ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
                .put((byte) 0).put((byte) 0).put((byte) 0).array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws Exception {
        java.io.DataOutputStream d = new java.io.DataOutputStream(out);
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
