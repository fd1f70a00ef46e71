package io.receiptranger.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The sample receipts of the repository ({@code samples/receipts}, with their {@code truth.json}). */
public final class TestFiles {

    private TestFiles() {
    }

    public static Path receipts() {
        return Path.of(System.getProperty("repo.root", "../.."), "samples", "receipts");
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
