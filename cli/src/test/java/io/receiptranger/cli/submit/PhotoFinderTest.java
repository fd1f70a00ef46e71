package io.receiptranger.cli.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folders are walked in sorted order, non-images are noted and skipped, every photo has its content hash. */
public class PhotoFinderTest {

    /** The hex SHA-256 of some bytes, for other tests' expectations. */
    public static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @TempDir
    Path dir;

    @Test
    void foldersAreWalkedRecursivelyInOrderAndNonImagesAreNoted() throws Exception {
        Files.createDirectories(dir.resolve("2026/march"));
        Files.writeString(dir.resolve("b.JPG"), "b");
        Files.writeString(dir.resolve("a.png"), "a");
        Files.writeString(dir.resolve("notes.txt"), "not a photo");
        Files.writeString(dir.resolve("2026/march/scan.pdf"), "pdf");
        Files.writeString(dir.resolve("2026/march/photo.heic"), "heic");
        Files.writeString(dir.resolve("README"), "no extension");

        PhotoFinder.Found found = PhotoFinder.find(List.of(dir, dir.resolve("missing.jpg")));

        assertThat(found.photos()).extracting(Photo::name)
                .containsExactly("2026/march/photo.heic", "2026/march/scan.pdf", "a.png", "b.JPG");
        assertThat(found.skipped()).containsExactly("README: not an image", "notes.txt: not an image",
                dir.resolve("missing.jpg") + ": file not found");
    }

    @Test
    void theHashIsTheSha256OfTheBytesAsTheIngestRecordsIt() throws Exception {
        Files.writeString(dir.resolve("x.jpg"), "abc");

        Photo photo = PhotoFinder.find(List.of(dir.resolve("x.jpg"))).photos().get(0);

        assertThat(photo.sha256()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(photo.bytes()).isEqualTo(3);
        assertThat(photo.name()).isEqualTo("x.jpg");
    }

    @Test
    void theSampleReceiptsFolderHasTwentyPhotosAndTwoOtherFiles() {
        Path samples = Path.of(System.getProperty("repo.root", "..")).resolve("samples/receipts");

        PhotoFinder.Found found = PhotoFinder.find(List.of(samples));

        assertThat(found.photos()).hasSize(20);
        assertThat(found.skipped()).containsExactly("README.md: not an image", "truth.json: not an image");
        assertThat(found.photos().stream().map(Photo::sha256).distinct()).hasSize(19);
    }
}
