package io.receiptranger.extractor.ocr;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.imageio.ImageIO;

/**
 * The Tesseract CLI through {@link ProcessBuilder}: page segmentation mode 6 (a uniform block of
 * text, which receipts are) and {@code OMP_THREAD_LIMIT=1} (0.3 s a receipt instead of 1.4 s on two
 * cores). Also its orientation detection ({@code --psm 0}), which {@code image.Upright} uses. The
 * image goes through a temporary file; nothing from the receipt becomes an argument.
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
    public List<String> lines(BufferedImage image) throws IOException, OcrUnavailableException, InterruptedException {
        return read(png(image)).lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
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
        Path input = Files.createTempFile("receipt-ocr-", ".img");
        try {
            Files.write(input, image);
            List<String> args = new ArrayList<>(List.of(command, input.toString(), "stdout"));
            args.addAll(options);
            ProcessBuilder builder = new ProcessBuilder(args);
            builder.environment().put("OMP_THREAD_LIMIT", "1");
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new OcrUnavailableException(OcrUnavailableException.TESSERACT);
            }
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException("Tesseract took longer than " + timeout.toSeconds() + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("Tesseract failed (exit " + process.exitValue() + ")");
            }
            return out.join();
        } finally {
            Files.deleteIfExists(input);
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

    static byte[] png(BufferedImage image) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
