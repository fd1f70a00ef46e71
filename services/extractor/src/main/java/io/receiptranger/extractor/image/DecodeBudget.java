package io.receiptranger.extractor.image;

import java.awt.image.DataBuffer;
import java.awt.image.SampleModel;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;

/**
 * The extractor's decode budget, the same rule as the ingest's (each service keeps its own copy; the
 * rule is documented in the ingest README "Safety"): from the header, before a pixel is decoded, at
 * most {@code maxPixels} pixels and {@code maxDecodedBytes} decoded bytes (width × height × samples ×
 * bytes per sample); within it the image is read subsampled so its long edge is at most the target.
 */
final class DecodeBudget {

    private static final int UNKNOWN_BYTES_PER_PIXEL = 4;

    private final long maxPixels;
    private final long maxDecodedBytes;
    private final int targetEdge;

    DecodeBudget(long maxPixels, long maxDecodedBytes, int targetEdge) {
        this.maxPixels = maxPixels;
        this.maxDecodedBytes = maxDecodedBytes;
        this.targetEdge = targetEdge;
    }

    /** The reader's first image checked, and a read parameter that subsamples it to the target edge. */
    ImageReadParam subsampled(ImageReader reader) throws IOException, InvalidImageException {
        long width = reader.getWidth(0);
        long height = reader.getHeight(0);
        if (width <= 0 || height <= 0) {
            throw new InvalidImageException("The image has no pixels.");
        }
        if (width * height > maxPixels) {
            throw new InvalidImageException("The image has " + (width * height / 1_000_000) + " megapixels; at most "
                    + maxPixels / 1_000_000 + " are read.");
        }
        long bytesPerPixel = bytesPerPixel(reader);
        long decoded = width * height * bytesPerPixel;
        if (decoded > maxDecodedBytes) {
            throw new InvalidImageException("The image is " + width + "×" + height + " pixels of " + bytesPerPixel
                    + " bytes each, " + mib(decoded) + " decoded; at most " + mib(maxDecodedBytes) + " are read.");
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int step = (int) Math.max(1, (Math.max(width, height) + targetEdge - 1) / targetEdge);
        if (step > 1) {
            param.setSourceSubsampling(step, step, 0, 0);
        }
        return param;
    }

    static long bytesPerPixel(ImageReader reader) throws IOException {
        ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types != null && types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return UNKNOWN_BYTES_PER_PIXEL;
        }
        SampleModel model = type.getSampleModel(1, 1);
        long bytesPerElement = Math.max(1, DataBuffer.getDataTypeSize(model.getDataType()) / 8);
        return Math.max(1, model.getNumDataElements()) * bytesPerElement;
    }

    private static String mib(long bytes) {
        return (bytes + (1 << 20) - 1) / (1 << 20) + " MiB";
    }
}
