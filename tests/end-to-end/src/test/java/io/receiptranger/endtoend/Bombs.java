package io.receiptranger.endtoend;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * The small files of issue 10 that decode to hundreds of MiB, written byte by byte (deflated zeros
 * compress about 1000:1): a 6320 × 6320 TIFF of four float channels (639 MB decoded), a PDF whose
 * page holds a 16000 × 16000 RGB image (768 MB), a 40-megapixel PNG of 16-bit RGBA (320 MB), and a
 * HEIC of 600 images (made with libheif's heif-enc).
 */
final class Bombs {

    private Bombs() {
    }

    static byte[] floatTiff(int width, int height) {
        byte[] strip = deflatedZeros((long) width * height * 16);
        int entries = 13;
        int ifd = 8;
        int bitsAt = ifd + 2 + entries * 12 + 4;
        int formatAt = bitsAt + 8;
        int stripAt = formatAt + 8;
        ByteBuffer b = ByteBuffer.allocate(stripAt + strip.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd).putShort((short) entries);
        entry(b, 256, 4, 1, width);        // ImageWidth
        entry(b, 257, 4, 1, height);       // ImageLength
        entry(b, 258, 3, 4, bitsAt);       // BitsPerSample 32 ×4
        entry(b, 259, 3, 1, 8);            // Compression: Deflate
        entry(b, 262, 3, 1, 2);            // RGB
        entry(b, 273, 4, 1, stripAt);      // StripOffsets
        entry(b, 277, 3, 1, 4);            // SamplesPerPixel
        entry(b, 278, 4, 1, height);       // RowsPerStrip: one strip
        entry(b, 279, 4, 1, strip.length); // StripByteCounts
        entry(b, 284, 3, 1, 1);            // chunky
        entry(b, 317, 3, 1, 1);            // no predictor
        entry(b, 338, 3, 1, 2);            // ExtraSamples: alpha
        entry(b, 339, 3, 4, formatAt);     // SampleFormat: IEEE float ×4
        b.putInt(0);
        for (int i = 0; i < 4; i++) {
            b.putShort((short) 32);
        }
        for (int i = 0; i < 4; i++) {
            b.putShort((short) 3);
        }
        return b.put(strip).array();
    }

    static byte[] png16(int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 16).put((byte) 6)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array());
            chunk(out, "IDAT", deflatedZeros((1L + width * 8L) * height));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One A4 page drawing one {@code width × height} RGB image (Flate), written as PDF 1.4 by hand. */
    static byte[] pdfWithImage(int width, int height) {
        byte[] image = deflatedZeros((long) width * height * 3);
        byte[] content = "q 595 0 0 842 0 0 cm /Im0 Do Q\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<Integer> offsets = new ArrayList<>();
        write(out, "%PDF-1.4\n%\u00e2\u00e3\n");
        offsets.add(out.size());
        write(out, "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n");
        offsets.add(out.size());
        write(out, "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n");
        offsets.add(out.size());
        write(out, "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 5 0 R >> >>"
                + " /Contents 4 0 R >> endobj\n");
        offsets.add(out.size());
        write(out, "4 0 obj << /Length " + content.length + " >> stream\n");
        out.writeBytes(content);
        write(out, "endstream endobj\n");
        offsets.add(out.size());
        write(out, "5 0 obj << /Type /XObject /Subtype /Image /Width " + width + " /Height " + height
                + " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length " + image.length + " >> stream\n");
        out.writeBytes(image);
        write(out, "\nendstream endobj\n");
        int xref = out.size();
        StringBuilder table = new StringBuilder("xref\n0 6\n0000000000 65535 f \n");
        for (int offset : offsets) {
            table.append(String.format("%010d 00000 n \n", offset));
        }
        write(out, table + "trailer << /Size 6 /Root 1 0 R >>\nstartxref\n" + xref + "\n%%EOF\n");
        return out.toByteArray();
    }

    /** A HEIC of {@code count} small images, the first the primary (heif-enc, libheif-examples). */
    static byte[] manyImageHeic(Path dir, int count) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("heif-enc", "-q", "20", "-o", dir.resolve("many.heic").toString()));
        byte[] small = png8(64, 64);
        for (int i = 0; i < count; i++) {
            command.add(Files.write(dir.resolve("image-" + i + ".png"), small).toString());
        }
        Process enc = new ProcessBuilder(command).redirectErrorStream(true).start();
        enc.getInputStream().transferTo(OutputStream.nullOutputStream());
        if (enc.waitFor() != 0) {
            throw new IllegalStateException("heif-enc failed (apt-get install libheif-examples)");
        }
        return Files.readAllBytes(dir.resolve("many.heic"));
    }

    private static byte[] png8(int width, int height) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
            chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0).array());
            chunk(out, "IDAT", deflatedZeros((1L + width * 3L) * height));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void entry(ByteBuffer b, int tag, int type, int count, int value) {
        b.putShort((short) tag).putShort((short) type).putInt(count);
        if (type == 3 && count == 1) {
            b.putShort((short) value).putShort((short) 0);
        } else {
            b.putInt(value);
        }
    }

    static byte[] deflatedZeros(long length) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (OutputStream out = new DeflaterOutputStream(bytes, deflater, 1 << 16)) {
            byte[] zeros = new byte[1 << 20];
            for (long left = length; left > 0; left -= zeros.length) {
                out.write(zeros, 0, (int) Math.min(zeros.length, left));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            deflater.end();
        }
        return bytes.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(t);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }

    private static void write(ByteArrayOutputStream out, String text) {
        out.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }
}
