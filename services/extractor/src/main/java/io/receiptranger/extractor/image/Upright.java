package io.receiptranger.extractor.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import com.drew.imaging.ImageMetadataReader;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifIFD0Directory;

import io.quarkus.logging.Log;
import io.receiptranger.extractor.ocr.OcrUnavailableException;
import io.receiptranger.extractor.ocr.OrientationLibrary;
import io.receiptranger.extractor.ocr.Tesseract;

/**
 * Turns a picture upright before a reader sees it: its EXIF orientation ({@link #exif}, by the
 * normaliser, for every reader), then its content — before the model ({@code ExtractionService}) and
 * before offline engines that cannot tell the text's direction themselves (Tesseract; PP-OCR uses its
 * own classifier, see {@code ocr.PaddleOcr#page}). What reads the content's direction is a
 * {@link Direction}: by default PP-OCR's detector and direction classifier ({@code PaddleOcr#quarters}),
 * or Tesseract's orientation detection ({@code --psm 0}, {@link #Upright(Tesseract, OrientationLibrary, double)}),
 * which reads a grey copy scaled to {@value #OSD_SHORT_EDGE} px on its short edge ({@link #small}) and says how far to turn it ({@code Rotate:
 * 90|180|270}); that turn is made only when its confidence reaches {@code min-confidence} (upright
 * receipts mostly say {@code Rotate: 0} or score below 1, turned ones 1–14), and an upside-down claim is checked
 * once more on the picture turned over, which must then read as upright (not as upside down again). When
 * nothing can tell (too little text, no engine), the picture stays as it is.
 */
public class Upright {

    /** Says how far a picture is turned by what it shows. */
    @FunctionalInterface
    public interface Direction {
        /** The clockwise quarter turns (0–3) that make the picture upright; 0 when it is, or when unsure. */
        int quarters(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException;
    }

    /** Leaves every picture as it is (tests that are not about orientation). */
    public static final Upright OFF = new Upright((Direction) null);

    static final int OSD_SHORT_EDGE = 1100;
    static final int OSD_LONG_EDGE = 4000;
    static final int MIN_EDGE = 200;
    private static final Pattern ROTATE = Pattern.compile("Rotate: (\\d{1,3})");
    private static final Pattern CONFIDENCE = Pattern.compile("Orientation confidence: ([0-9.]{1,10})");

    private final Direction direction;

    /** Detection by {@code direction}; {@code null}: none, every picture stays as it is. */
    public Upright(Direction direction) {
        this.direction = direction;
    }

    /** Detection by the {@code tesseract} command, a process per picture. */
    public Upright(Tesseract tesseract, double minConfidence) {
        this(tesseract, null, minConfidence);
    }

    /** Tesseract's detection, in this process when {@code library} is there (without a process and a model load per picture). */
    public Upright(Tesseract tesseract, OrientationLibrary library, double minConfidence) {
        this(tesseract == null ? null : image -> byTesseract(image, tesseract, library, minConfidence));
    }

    /** The decoded image turned upright: EXIF first, then content. */
    public BufferedImage apply(byte[] original, BufferedImage decoded) {
        return content(exif(original, decoded));
    }

    /** The image turned upright by its content; the same image when it is upright or nothing can tell. */
    public BufferedImage content(BufferedImage image) {
        int quarters = contentQuarters(image);
        return quarters == 0 ? image : rotate(image, quarters);
    }

    /**
     * A checked image (EXIF already applied by {@link ImageNormaliser}) turned upright by its content
     * for the model, re-encoded when turned; the same bytes when it is upright or cannot be decoded.
     */
    public ReceiptImage content(ReceiptImage image) {
        if (direction == null) {
            return image;
        }
        try {
            BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(image.bytes()));
            if (decoded == null) {
                return image;
            }
            BufferedImage turned = content(decoded);
            return turned == decoded ? image : ImageNormaliser.encode(turned, image.format());
        } catch (IOException | RuntimeException e) {
            Log.debugf("orientation: the image could not be read again (%s); sent as it is", e.getMessage());
            return image;
        }
    }

    /** EXIF orientation 1–8 applied; the image as decoded when there is none. */
    static BufferedImage exif(byte[] original, BufferedImage decoded) {
        int orientation = 1;
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(original));
            ExifIFD0Directory dir = metadata.getFirstDirectoryOfType(ExifIFD0Directory.class);
            if (dir != null && dir.containsTag(ExifIFD0Directory.TAG_ORIENTATION)) {
                orientation = dir.getInt(ExifIFD0Directory.TAG_ORIENTATION);
            }
        } catch (Exception e) {
            // No readable metadata: as decoded.
        }
        return orient(decoded, orientation);
    }

    /** 0–3 clockwise quarter turns, from the content's direction; 0 when unsure or unavailable. */
    int contentQuarters(BufferedImage image) {
        // A picture this small holds no readable receipt text; not worth a detection.
        if (direction == null || Math.max(image.getWidth(), image.getHeight()) < MIN_EDGE) {
            return 0;
        }
        try {
            return direction.quarters(image);
        } catch (OcrUnavailableException e) {
            Log.debugf("orientation detection unavailable: %s", e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (IOException e) {
            // Tesseract's exit code 1 = "too few characters" on pictures without text: nothing to turn by.
            Log.debugf("orientation detection gave no answer: %s", e.getMessage());
            return 0;
        }
    }

    private static int byTesseract(BufferedImage image, Tesseract tesseract, OrientationLibrary library, double minConfidence)
            throws IOException, OcrUnavailableException, InterruptedException {
        BufferedImage small = small(image);
        String report = detect(small, tesseract, library);
        int quarters = quarters(report, minConfidence);
        if (quarters == 2) {
            // Upside down is the claim upright receipts most often get wrong (sroie-131: 180 at 4.45):
            // turned over, a picture that really was upside down must now read as upright.
            String turned = detect(rotate(small, 2), tesseract, library);
            if (quarters(turned, 0) != 0 && confidence(turned) >= confidence(report)) {
                return 0;
            }
        }
        return quarters;
    }

    private static String detect(BufferedImage small, Tesseract tesseract, OrientationLibrary library)
            throws IOException, OcrUnavailableException, InterruptedException {
        return library != null ? library.report(small) : tesseract.orientation(Tesseract.pgm(small));
    }

    /** Tesseract's report → clockwise quarter turns, when confident enough. */
    static int quarters(String report, double minConfidence) {
        Matcher r = ROTATE.matcher(report);
        Matcher c = CONFIDENCE.matcher(report);
        if (!r.find() || !c.find()) {
            return 0;
        }
        int degrees = Integer.parseInt(r.group(1));
        Optional<Double> confidence = parse(c.group(1));
        if (degrees % 90 != 0 || confidence.isEmpty() || confidence.get() < minConfidence) {
            return 0;
        }
        return (degrees / 90) % 4;
    }

    static double confidence(String report) {
        Matcher c = CONFIDENCE.matcher(report);
        return c.find() ? parse(c.group(1)).orElse(0.0) : 0.0;
    }

    private static Optional<Double> parse(String s) {
        try {
            return Optional.of(Double.parseDouble(s));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * The grey copy the detection reads: its short edge at {@value #OSD_SHORT_EDGE} px (enlarged up to 3×, never
     * more than {@value #OSD_LONG_EDGE} px long). Scaled by the short edge, not the long one: a receipt is a
     * tall strip, and its long edge brought to 1600 px left the print of a long till roll (935 × 3296) a
     * few pixels high, too small for Tesseract to tell its direction. Measured on the 25 real receipts at
     * all four turns: 58 of 100 upright afterwards by the long edge, 84 by the short edge ({@code UprightBench};
     * README, "Upright first").
     */
    static BufferedImage small(BufferedImage image) {
        int shortEdge = Math.min(image.getWidth(), image.getHeight());
        int longEdge = Math.max(image.getWidth(), image.getHeight());
        double scale = Math.min(3.0, Math.min((double) OSD_SHORT_EDGE / shortEdge, (double) OSD_LONG_EDGE / longEdge));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(image, 0, 0, w, h, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }

    /** Turned clockwise by {@code quarters} × 90°. */
    public static BufferedImage rotate(BufferedImage image, int quarters) {
        int q = ((quarters % 4) + 4) % 4;
        if (q == 0) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = q % 2 == 1;
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.translate(out.getWidth() / 2.0, out.getHeight() / 2.0);
        g.rotate(Math.toRadians(90.0 * q));
        g.translate(-w / 2.0, -h / 2.0);
        g.drawImage(image, 0, 0, java.awt.Color.WHITE, null);
        g.dispose();
        return out;
    }

    /** EXIF orientation 1–8 (rotations and mirrors) applied to the pixels. */
    static BufferedImage orient(BufferedImage src, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return src;
        }
        int w = src.getWidth();
        int h = src.getHeight();
        boolean swap = orientation >= 5;
        AffineTransform t = switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            default -> new AffineTransform(0, -1, 1, 0, 0, w);
        };
        BufferedImage out = new BufferedImage(swap ? h : w, swap ? w : h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(src, t, null);
        g.dispose();
        return out;
    }
}
