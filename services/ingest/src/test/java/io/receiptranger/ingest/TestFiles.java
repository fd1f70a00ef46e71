package io.receiptranger.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample receipts in {@code shared/receipts} (beside the repository) and hostile files made on the spot. */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path receipts() {
        Path root = Path.of(System.getProperty("ranger.repo.root", "../.."));
        Path beside = root.resolve("../shared/receipts").normalize();
        return Files.isDirectory(beside) ? beside : root.resolve("shared/receipts");
    }

    public static Path receipt(String name) {
        return receipts().resolve(name);
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(receipt(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
