package io.receiptranger.extractor.ocr;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The Tesseract CLI through {@link ProcessBuilder}: page segmentation mode 6 (a uniform block of
 * text, which receipts are) and {@code OMP_THREAD_LIMIT=1} (0.3 s a receipt instead of 1.4 s on two
 * cores). The image goes through a temporary file; nothing from the receipt becomes an argument.
 */
public final class Tesseract {

    private final String command;
    private final Duration timeout;

    public Tesseract(String command, Duration timeout) {
        this.command = command;
        this.timeout = timeout;
    }

    /** The text of a PNG image. */
    public String read(byte[] png) throws IOException, TesseractMissingException, InterruptedException {
        Path input = Files.createTempFile("receipt-ocr-", ".png");
        try {
            Files.write(input, png);
            ProcessBuilder builder = new ProcessBuilder(List.of(command, input.toString(), "stdout", "--psm", "6", "-l", "eng"));
            builder.environment().put("OMP_THREAD_LIMIT", "1");
            builder.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process process;
            try {
                process = builder.start();
            } catch (IOException e) {
                throw new TesseractMissingException();
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

    /** True when the command runs at all. */
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

    private static String drain(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
