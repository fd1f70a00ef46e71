package io.receiptranger.ingest.upload;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * Turns an uploaded file into the image the model reads (SEED-SPEC G5): the size comes from the
 * header and is checked against the {@link DecodeBudget} (pixels and decoded bytes; PDFs by
 * {@link PdfBudget}) before anything is decoded, so a decompression bomb costs a few bytes; then the
 * first frame is decoded subsampled to the target size (a PDF: every page, one under the other), turned upright (EXIF orientation), flattened to RGB, scaled so the long edge
 * is at most 2048 px and re-encoded — which also drops every byte of metadata and anything appended.
 * PNG stays PNG (lossless text); every other format becomes JPEG.
 */
@ApplicationScoped
public class ImagePipeline {

    private final IngestConfig.Images config;
    private final DecodeBudget budget;
    private final PdfBudget pdfBudget;
    /** Decoding is memory-hungry: at most this many at once, whatever the number of uploads. */
    private final Semaphore decoders = new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()));

    @jakarta.inject.Inject
    public ImagePipeline(IngestConfig config) {
        this(config.images());
    }

    ImagePipeline(IngestConfig.Images config) {
        this.config = config;
        this.budget = new DecodeBudget(config.maxPixels(), config.maxDecodedBytes(), config.maxEdge());
        this.pdfBudget = new PdfBudget(budget, config.maxDecodedBytes(), config.maxPdfPages());
    }

    public PreparedImage prepare(Path file, ImageFormat format) throws FileRejected {
        try {
            decoders.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FileRejected(503, "the server is shutting down");
        }
        try {
            return switch (format) {
                case PDF -> fromPdf(file);
                case HEIF -> fromHeif(file);
                default -> fromImageIO(file, format, format != ImageFormat.GIF && format != ImageFormat.BMP,
                        format == ImageFormat.PNG);
            };
        } finally {
            decoders.release();
        }
    }

    private PreparedImage fromImageIO(Path file, ImageFormat format, boolean readOrientation, boolean keepPng)
            throws FileRejected {
        BufferedImage image;
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FileRejected(415, "this " + format.name() + " file uses a variant we cannot read");
            }
            ImageReader reader = readers.next();
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                // Checked from the header, then read at (about) the target size, never at full size.
                ImageReadParam param = budget.subsampled(reader);
                image = reader.read(0, param);
                if (!warnings.isEmpty()) {
                    throw new FileRejected(422, "the image is truncated or corrupt (" + warnings.get(0) + ")");
                }
            } finally {
                reader.dispose();
            }
        } catch (FileRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FileRejected(422, "the image is truncated or corrupt and cannot be read", e);
        }
        int orientation = readOrientation ? orientation(file) : 1;
        return finish(image, orientation, keepPng);
    }

    private PreparedImage fromPdf(Path file) throws FileRejected {
        try (PDDocument pdf = Loader.loadPDF(new RandomAccessReadBufferedFile(file.toFile()))) {
            if (pdf.isEncrypted() && !pdf.getCurrentAccessPermission().canExtractContent()) {
                throw new FileRejected(422, "the PDF is password-protected");
            }
            pdfBudget.check(pdf);
            return finish(pages(pdf), 1, false);
        } catch (FileRejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new FileRejected(422, "the PDF is damaged and a page of it cannot be read", e);
        }
    }

    /**
     * Every page (at most max-pdf-pages, checked before), one under the other on one white image, so a
     * receipt or invoice of two pages reaches the model in one call and the offline reader reads both:
     * rendered at one scale that makes the whole sheet's long edge at most maxEdge, never above 300 dpi.
     * Under each other, not side by side: OCR joins what is level into one line.
     */
    private BufferedImage pages(PDDocument pdf) throws IOException {
        float width = 0;
        float height = 0;
        for (PDPage page : pdf.getPages()) {
            PDRectangle box = page.getCropBox();
            boolean turned = page.getRotation() % 180 != 0;
            width = Math.max(width, turned ? box.getHeight() : box.getWidth());
            height += turned ? box.getWidth() : box.getHeight();
        }
        float scale = Math.min(config.maxEdge() / Math.max(width, height), 300f / 72f);
        PDFRenderer renderer = new PDFRenderer(pdf);
        // Images drawn smaller than they are stored are decoded subsampled.
        renderer.setSubsamplingAllowed(true);
        List<BufferedImage> rendered = new ArrayList<>();
        for (int i = 0; i < pdf.getNumberOfPages(); i++) {
            rendered.add(renderer.renderImage(i, scale, ImageType.RGB));
        }
        if (rendered.size() == 1) {
            return rendered.get(0);
        }
        int w = rendered.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int h = rendered.stream().mapToInt(BufferedImage::getHeight).sum();
        BufferedImage sheet = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = sheet.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        int y = 0;
        for (BufferedImage page : rendered) {
            g.drawImage(page, 0, y, null);
            y += page.getHeight();
        }
        g.dispose();
        return sheet;
    }

    /**
     * HEIC/HEIF through libheif's {@code heif-thumbnailer}: only the primary image is decoded (a file
     * may hold hundreds), already scaled to the target edge, as PNG, in a private directory. The
     * primary image's size must be in the header and within the budget, or the file is refused.
     */
    private PreparedImage fromHeif(Path file) throws FileRejected {
        long[] size = HeifHeader.primarySize(file).orElseThrow(() -> new FileRejected(422,
                "the HEIC file does not declare the size of its main image, so it is not decoded"));
        // libheif decodes to 8-bit RGBA (or more for 10-bit files, which the budget's headroom covers).
        budget.check(size[0], size[1], 4);
        try (ExternalTool.PrivateDir dir = new ExternalTool.PrivateDir("ranger-heif-")) {
            Path out = dir.path().resolve("primary.png");
            ExternalTool.Run run = ExternalTool.run(List.of(config.heifCommand(), "-p", "-s",
                    String.valueOf(config.maxEdge()), file.toAbsolutePath().toString(), out.toString()),
                    dir.path(), config.heifTimeout());
            if (!run.finished()) {
                throw new FileRejected(422, "the HEIC image took too long to convert");
            }
            if (run.exitCode() != 0 || !Files.isRegularFile(out) || Files.size(out) == 0) {
                Log.debugf("%s failed (exit %d): %s", config.heifCommand(), run.exitCode(), run.output());
                throw new FileRejected(422, "the HEIC image is damaged and cannot be converted");
            }
            // libheif has already applied the HEIF rotation; the image it writes is upright.
            return fromImageIO(out, ImageFormat.PNG, false, false);
        } catch (IOException e) {
            Log.warnf("HEIC conversion unavailable (%s): install libheif's heif-thumbnailer", e.getMessage());
            throw new FileRejected(415, "HEIC images cannot be read on this server (its HEIC decoder is not installed)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FileRejected(503, "the server is shutting down");
        }
    }

    /** EXIF orientation (1–8) of the file, 1 when absent or unreadable. */
    static int orientation(Path file) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(file.toFile());
            ExifIFD0Directory exif = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (exif != null && exif.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                int o = exif.getInt(ExifIFD0Directory.TAG_ORIENTATION);
                return o >= 1 && o <= 8 ? o : 1;
            }
        } catch (Exception e) {
            // Broken metadata is no reason to refuse a readable image.
        }
        return 1;
    }

    private PreparedImage finish(BufferedImage image, int orientation, boolean keepPng) throws FileRejected {
        // An opaque RGB picture already upright needs no canvas: drawing one costs a copy, and JPEG-encoding
        // the decoder's own 3-byte raster is about twice as fast as encoding an int-RGB copy of it.
        BufferedImage upright = orientation == 1 && opaqueRgb(image) ? image : orient(image, orientation);
        BufferedImage scaled = scale(upright, config.maxEdge());
        try {
            return keepPng ? png(scaled) : jpeg(scaled);
        } catch (IOException e) {
            throw new FileRejected(422, "the image could not be re-encoded", e);
        }
    }

    /** Whether the image is stored as plain RGB with no alpha (what a JPEG decodes to). */
    static boolean opaqueRgb(BufferedImage image) {
        return image.getType() == BufferedImage.TYPE_3BYTE_BGR || image.getType() == BufferedImage.TYPE_INT_RGB;
    }

    /** Draws the image upright on an opaque RGB canvas (alpha flattened onto white). */
    static BufferedImage orient(BufferedImage src, int orientation) {
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = orientation >= 5;
        // Where pixel (x, y) of the stored image goes on the upright canvas (constructor order m00, m10, m01, m11, m02, m12).
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);   // mirrored: (w - x, y)
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);  // upside down: (w - x, h - y)
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);   // flipped: (x, h - y)
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);    // transposed: (y, x)
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);   // turn right: (h - y, x)
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);  // transversed: (h - y, w - x)
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);   // turn left: (y, w - x)
            default -> new AffineTransform();
        };
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.drawImage(src, t, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Halves while more than twice too large, then one bilinear step to size: sharp enough for receipt print. */
    static BufferedImage scale(BufferedImage src, int maxEdge) {
        BufferedImage current = src;
        while (Math.max(current.getWidth(), current.getHeight()) > maxEdge) {
            int longEdge = Math.max(current.getWidth(), current.getHeight());
            double factor = longEdge > 2 * maxEdge ? 0.5 : (double) maxEdge / longEdge;
            int w = Math.max(1, (int) Math.floor(current.getWidth() * factor));
            int h = Math.max(1, (int) Math.floor(current.getHeight() * factor));
            BufferedImage next = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = next.createGraphics();
            try {
                g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
                g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
                g.drawImage(current, 0, 0, w, h, null);
            } finally {
                g.dispose();
            }
            current = next;
        }
        return current;
    }

    private PreparedImage jpeg(BufferedImage image) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(config.jpegQuality());
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return new PreparedImage(bytes.toByteArray(), "image/jpeg", image.getWidth(), image.getHeight());
    }

    private static PreparedImage png(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ImageIO.write(image, "png", bytes);
        return new PreparedImage(bytes.toByteArray(), "image/png", image.getWidth(), image.getHeight());
    }
}
