package io.receiptranger.ingest.upload;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * The one rule every image decode in the ingest obeys, applied to the header before a pixel is
 * decoded: at most {@code maxPixels} pixels, and at most {@code maxDecodedBytes} decoded bytes,
 * where decoded bytes = width × height × samples per pixel × bytes per sample (a 6320 × 6320 TIFF of
 * four float channels is 639 MB although its file is 630 KB). Within the budget the image is still
 * never decoded at full size: {@link #subsampled} reads every n-th pixel so the result already fits
 * the target edge. Catching {@link OutOfMemoryError} is no defence (a JVM with
 * {@code -XX:+ExitOnOutOfMemoryError} exits first), so nothing here relies on it.
 */
final class DecodeBudget {

    /** Assumed when a reader cannot say how it stores samples: four 8-bit samples (RGBA). */
    private static final int UNKNOWN_BYTES_PER_PIXEL = 4;

    private final long maxPixels;
    private final long maxDecodedBytes;
    private final int targetEdge;

    DecodeBudget(long maxPixels, long maxDecodedBytes, int targetEdge) {
        this.maxPixels = maxPixels;
        this.maxDecodedBytes = maxDecodedBytes;
        this.targetEdge = targetEdge;
    }

    int targetEdge() {
        return targetEdge;
    }

    /** Refuses an image whose size alone is over the budget: {@code bytesPerPixel} as it decodes. */
    void check(long width, long height, long bytesPerPixel) throws FileRejected {
        if (width <= 0 || height <= 0) {
            throw new FileRejected(422, "the image has no pixels");
        }
        if (width > Integer.MAX_VALUE / 4 || height > Integer.MAX_VALUE / 4 || width * height > maxPixels) {
            throw new FileRejected(422, "image is " + width + "×" + height + " pixels; the limit is "
                    + maxPixels / 1_000_000 + " megapixels");
        }
        long decoded = width * height * Math.max(1, bytesPerPixel);
        if (decoded > maxDecodedBytes) {
            throw new FileRejected(422, "image is " + width + "×" + height + " pixels of " + bytesPerPixel
                    + " bytes each, " + mib(decoded) + " decoded; the limit is " + mib(maxDecodedBytes)
                    + " (use 8 bits per channel, or fewer pixels)");
        }
    }

    /**
     * The reader's first image checked against the budget and a read parameter that subsamples it
     * while reading, so the decoded image's long edge is at most the target edge.
     */
    ImageReadParam subsampled(ImageReader reader) throws IOException, FileRejected {
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        check(width, height, bytesPerPixel(reader));
        ImageReadParam param = reader.getDefaultReadParam();
        int step = step(width, height);
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        return param;
    }

    /** Every {@code step}-th pixel in each direction: the smallest step whose result fits the target edge. */
    int step(long width, long height) {
        long longEdge = Math.max(width, height);
        return (int) Math.max(1, (longEdge + targetEdge - 1) / targetEdge);
    }

    /** Bytes per decoded pixel as the reader announces them (raw type, else its first offered type). */
    static long bytesPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types != null && types.hasNext() ? types.next() : null;
        }
        return type == null ? UNKNOWN_BYTES_PER_PIXEL : bytesPerPixel(type.getSampleModel(1, 1));
    }

    /** Data elements per pixel × bytes per element: 3 for 8-bit RGB, 8 for 16-bit RGBA, 16 for 4 floats. */
    static long bytesPerPixel(SampleModel model) {
        long bytesPerElement = Math.max(1, DataBuffer.getDataTypeSize(model.getDataType()) / 8);
        return Math.max(1, model.getNumDataElements()) * bytesPerElement;
    }

    static String mib(long bytes) {
        return (bytes + (1 << 20) - 1) / (1 << 20) + " MiB";
    }
}
