package io.receiptranger.cli.submit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Turns the command line's files and folders into photos: folders are walked recursively in sorted
 * order, like the original's directory scan (SEED-SPEC §6.2); only files with an image extension the
 * ingest reads are kept, every other file is noted as skipped. The ingest still judges each file by
 * its content; the extension only spares uploading what is plainly not a photo.
 */
public final class PhotoFinder {

    /** The original's extensions plus PDF, which the ingest reads too (CONTRACT.md §3). */
    static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif", "bmp", "webp", "tif", "tiff", "heic", "heif", "pdf");

    /** What was found: the photos, and the files left out with why. */
    public record Found(List<Photo> photos, List<String> skipped) {
    }

    private PhotoFinder() {
    }

    public static Found find(List<Path> arguments) {
        List<Photo> photos = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Path argument : arguments) {
            if (Files.isDirectory(argument)) {
                List<Path> files;
                try (Stream<Path> walk = Files.walk(argument, FileVisitOption.FOLLOW_LINKS)) {
                    files = walk.filter(Files::isRegularFile).sorted().toList();
                } catch (IOException | UncheckedIOException e) {
                    skipped.add(argument + ": cannot read the folder (" + e.getMessage() + ")");
                    continue;
                }
                for (Path file : files) {
                    consider(file, argument.relativize(file).toString(), photos, skipped);
                }
            } else if (Files.isRegularFile(argument)) {
                consider(argument, argument.getFileName().toString(), photos, skipped);
            } else {
                skipped.add(argument + ": file not found");
            }
        }
        return new Found(photos, skipped);
    }

    private static void consider(Path file, String name, List<Photo> photos, List<String> skipped) {
        if (!isImageName(file.getFileName().toString())) {
            skipped.add(name + ": not an image");
            return;
        }
        try {
            photos.add(new Photo(file, name, sha256(file), Files.size(file)));
        } catch (IOException e) {
            skipped.add(name + ": cannot be read (" + e.getMessage() + ")");
        }
    }

    static boolean isImageName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
