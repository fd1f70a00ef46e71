package io.receiptranger.extractor.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.concurrent.Semaphore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Validates an accepted image like an upload and makes it fit for the model: the size is read from
 * the header and checked against the {@link DecodeBudget} before any decoding (at most 40
 * megapixels and 160 MiB decoded: no decompression bombs), the image must decode — subsampled while
 * reading to the configured edge (2048 px), never at full size — its EXIF orientation is applied
 * (the text's direction in the pixels is found later, by the reader's route: {@link Upright}), and one
 * that was turned or is longer than the edge is re-encoded (JPEG, or PNG for PNG input). Upright images within the edge pass through
 * byte for byte. At most one decode per core runs at once, however many receipts are in flight.
 */
@ApplicationScoped
public class ImageNormaliser {

    static final long MAX_PIXELS = 40_000_000L;
    static final long MAX_DECODED_BYTES = 160L << 20;

    private final int maxEdge;
    private final DecodeBudget budget;
    private final Semaphore decoders = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    @Inject
    public ImageNormaliser(ExtractorConfig config) {
        this(config.rules().maxImageEdge());
    }

    public ImageNormaliser(int maxEdge) {
        this.maxEdge = maxEdge;
        this.budget = new DecodeBudget(MAX_PIXELS, MAX_DECODED_BYTES, maxEdge);
    }

    public ReceiptImage normalise(ReceiptImage image) throws InvalidImageException {
        try {
            decoders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidImageException("Interrupted while waiting to decode the image.", e);
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image.bytes()))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new InvalidImageException("The " + image.format() + " image cannot be decoded.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                ImageReadParam param = budget.subsampled(reader);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                BufferedImage decoded = reader.read(0, param);
                BufferedImage turned = Upright.exif(image.bytes(), decoded);
                if (turned == decoded && Math.max(width, height) <= maxEdge) {
                    return image;
                }
                return downscale(turned, image.format());
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new InvalidImageException("The " + image.format() + " image is corrupt or truncated.", e);
        } finally {
            decoders.release();
        }
    }

    private ReceiptImage downscale(BufferedImage source, ImageFormat format) throws IOException {
        return encode(source, format, maxEdge);
    }

    /** The image re-encoded in its format's family (PNG for PNG, JPEG otherwise), at its size. */
    static ReceiptImage encode(BufferedImage source, ImageFormat format) throws IOException {
        return encode(source, format, Math.max(source.getWidth(), source.getHeight()));
    }

    private static ReceiptImage encode(BufferedImage source, ImageFormat format, int maxEdge) throws IOException {
        // Read subsampled, the image usually fits already: then it is only re-encoded, never enlarged.
        double scale = Math.min(1.0, (double) maxEdge / Math.max(source.getWidth(), source.getHeight()));
        int w = Math.max(1, (int) Math.round(source.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(source.getHeight() * scale));
        boolean png = format == ImageFormat.PNG;
        BufferedImage out = new BufferedImage(w, h, png ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.drawImage(source, 0, 0, w, h, java.awt.Color.WHITE, null);
        g.dispose();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (png) {
            ImageIO.write(out, "png", bytes);
            return new ReceiptImage(bytes.toByteArray(), ImageFormat.PNG);
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            // Receipts are small print: keep quality high.
            param.setCompressionQuality(0.92f);
            writer.write(null, new IIOImage(out, null, null), param);
        } finally {
            writer.dispose();
        }
        return new ReceiptImage(bytes.toByteArray(), ImageFormat.JPEG);
    }
}
