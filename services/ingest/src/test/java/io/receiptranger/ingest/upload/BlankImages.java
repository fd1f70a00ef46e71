package io.receiptranger.ingest.upload;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

/**
 * Blank images of any size and sample layout, written byte by byte (deflated zeros compress about
 * 1000:1, which is what makes a small file a decompression bomb): PNG of 8 or 16 bits per channel,
 * TIFF of four 32-bit float channels.
 */
final class BlankImages {

    private BlankImages() {
    }

    /** PNG colour type 2 (RGB) or 6 (RGBA) at 8 or 16 bits per channel, every pixel zero. */
    static byte[] png(int width, int height, int bitDepth, int colourType) {
        int channels = colourType == 6 ? 4 : colourType == 2 ? 3 : 1;
        int rowBytes = 1 + width * channels * bitDepth / 8;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10 });
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height)
                    .put((byte) bitDepth).put((byte) colourType).put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(out, "IHDR", ihdr.array());
            chunk(out, "IDAT", deflatedZeros((long) rowBytes * height));
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Little-endian TIFF, one deflated strip, RGBA as four 32-bit IEEE floats (SampleFormat 3). */
    static byte[] floatTiff(int width, int height) {
        byte[] strip = deflatedZeros((long) width * height * 16);
        int entries = 13;
        int ifd = 8;
        int extra = ifd + 2 + entries * 12 + 4;   // the arrays that do not fit in an entry
        int bitsAt = extra;
        int formatAt = bitsAt + 8;
        int stripAt = formatAt + 8;
        ByteBuffer b = ByteBuffer.allocate(stripAt + strip.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
        b.putShort((short) entries);
        entry(b, 256, 4, 1, width);                 // ImageWidth
        entry(b, 257, 4, 1, height);                // ImageLength
        entry(b, 258, 3, 4, bitsAt);                // BitsPerSample 32,32,32,32
        entry(b, 259, 3, 1, 8);                     // Compression: Deflate
        entry(b, 262, 3, 1, 2);                     // Photometric: RGB
        entry(b, 273, 4, 1, stripAt);               // StripOffsets
        entry(b, 277, 3, 1, 4);                     // SamplesPerPixel
        entry(b, 278, 4, 1, height);                // RowsPerStrip: one strip
        entry(b, 279, 4, 1, strip.length);          // StripByteCounts
        entry(b, 284, 3, 1, 1);                     // PlanarConfiguration: chunky
        entry(b, 317, 3, 1, 1);                     // Predictor: none
        entry(b, 338, 3, 1, 2);                     // ExtraSamples: unassociated alpha
        entry(b, 339, 3, 4, formatAt);              // SampleFormat 3,3,3,3 (float)
        b.putInt(0);
        b.putShort((short) 32).putShort((short) 32).putShort((short) 32).putShort((short) 32);
        b.putShort((short) 3).putShort((short) 3).putShort((short) 3).putShort((short) 3);
        b.put(strip);
        return b.array();
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
}
