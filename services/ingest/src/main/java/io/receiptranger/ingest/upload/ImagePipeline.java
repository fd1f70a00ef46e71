package io.receiptranger.ingest.upload;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import jakarta.enterprise.context.ApplicationScoped;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * Turns an uploaded file into the image the model reads. The pixel count comes from the header
 * before anything is decoded, so a decompression bomb is refused for the price of a few bytes.
 */
@ApplicationScoped
public class ImagePipeline {

    private final IngestConfig.Images config;

    public ImagePipeline(IngestConfig config) {
        this.config = config.images();
    }

    public PreparedImage prepare(Path file, ImageFormat format) throws FileRejected {
        if (format != ImageFormat.JPEG && format != ImageFormat.PNG) {
            throw new FileRejected(415, "this is a " + format.name() + " file; only JPEG and PNG are read");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FileRejected(415, "no reader for this " + format.name() + " file");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                checkPixels(width, height);
                BufferedImage image = reader.read(0);
                return encode(image, format == ImageFormat.PNG ? "png" : "jpg");
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new FileRejected(422, "the image is truncated or corrupt and cannot be read", e);
        }
    }

    void checkPixels(long width, long height) throws FileRejected {
        if (width <= 0 || height <= 0) {
            throw new FileRejected(422, "the image has no pixels");
        }
        if (width * height > config.maxPixels()) {
            throw new FileRejected(422, "image is " + width + "×" + height + " pixels; the limit is "
                    + config.maxPixels() / 1_000_000 + " megapixels");
        }
    }

    private PreparedImage encode(BufferedImage image, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!ImageIO.write(image, format, out)) {
            throw new IOException("no writer for " + format);
        }
        return new PreparedImage(out.toByteArray(), "png".equals(format) ? "image/png" : "image/jpeg",
                image.getWidth(), image.getHeight());
    }
}
