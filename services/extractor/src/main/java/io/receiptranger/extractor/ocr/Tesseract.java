package io.receiptranger.extractor.ocr;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The Tesseract CLI through {@link ProcessBuilder}: page segmentation mode 6 (a uniform block of
 * text, which receipts are) and {@code OMP_THREAD_LIMIT=1} (0.3 s a receipt instead of 1.4 s on two
 * cores). Also its orientation detection ({@code --psm 0}), which {@code image.Upright} uses. The
 * image goes through a file in a private temporary directory (owner-only, the process's working
 * directory, removed afterwards); its output is read in the background; at the deadline the process
 * and its children are killed. Nothing from the receipt becomes an argument.
 */
public final class Tesseract implements OcrEngine {

    public static final String NAME = "tesseract";

    private final String command;
    private final Duration timeout;

    public Tesseract(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TextLine> textLines(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException {
        return read(pgm(image)).lines().map(String::strip).filter(l -> !l.isEmpty()).map(l -> new TextLine(l, null)).toList();
    }

    /** The text of an image that holds one printed line (page segmentation mode 7). */
    public String readLine(BufferedImage line) throws IOException, OcrUnavailableException, InterruptedException {
        return run(pgm(line), List.of("--psm", "7", "-l", "eng")).strip();
    }

    /** The text of an image file's bytes (any format Tesseract's own decoder reads). */
    public String read(byte[] image) throws IOException, OcrUnavailableException, InterruptedException {
        return run(image, List.of("--psm", "6", "-l", "eng"));
    }

    /**
     * Orientation and script detection: Tesseract's report ({@code Rotate: 90}, {@code Orientation
     * confidence: 4.2}, …), or a failure when the page has too little text to tell.
     */
    public String orientation(byte[] image) throws IOException, OcrUnavailableException, InterruptedException {
        return run(image, List.of("--psm", "0"));
    }

    private String run(byte[] image, List<String> options) throws IOException, OcrUnavailableException, InterruptedException {
        // A directory only this process can read, the tool's working directory, removed with all it holds.
        Path dir = privateDir();
        Process process = null;
        try {
            Path input = Files.write(dir.resolve("receipt.img"), image);
            List<String> args = new ArrayList<>(List.of(command, input.toString(), "stdout"));
            args.addAll(options);
            ProcessBuilder builder = new ProcessBuilder(args).directory(dir.toFile());
            builder.environment().put("OMP_THREAD_LIMIT", "1");
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new OcrUnavailableException(OcrUnavailableException.TESSERACT);
            }
            Process started = process;
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(started.getInputStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("Tesseract took longer than " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("Tesseract failed (exit " + process.exitValue() + ")");
            }
            return out.join();
        } finally {
            if (process != null && process.isAlive()) {
                // the deadline passed (or we were interrupted): the process and anything it started go
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
            deleteTree(dir);
        }
    }

    private static Path privateDir() throws IOException {
        Path base = Path.of(System.getProperty("java.io.tmpdir"));
        try {
            return Files.createTempDirectory(base, "ranger-ocr-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempDirectory(base, "ranger-ocr-");
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public boolean available() {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * The image as a grey PGM (binary PNM, which Tesseract's image library reads): written as fast as
     * memory is copied, where PNG's deflate cost 0.1–0.3 s of CPU per page for nothing (Tesseract reads
     * grey; the pixels are the same).
     */
    public static byte[] pgm(BufferedImage image) {
        BufferedImage grey = image;
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            grey = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g = grey.createGraphics();
            g.drawImage(image, 0, 0, Color.WHITE, null);
            g.dispose();
        }
        int w = grey.getWidth();
        int h = grey.getHeight();
        byte[] header = ("P5\n" + w + " " + h + "\n255\n").getBytes(StandardCharsets.US_ASCII);
        // The raster's rows packed, one byte a pixel (a sub-image's raster may be wider than the image).
        byte[] pixels = (byte[]) grey.getRaster().getDataElements(0, 0, w, h, null);
        byte[] out = new byte[header.length + pixels.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(pixels, 0, out, header.length, pixels.length);
        return out;
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
