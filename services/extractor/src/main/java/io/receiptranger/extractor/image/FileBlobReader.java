package io.receiptranger.extractor.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/**
 * {@code file:<dir>}: images in a local (or mounted) directory. A URI is normalised and its symlinks
 * resolved before the confinement check, so neither {@code ..} nor a link leads out of the store.
 */
public final class FileBlobReader implements BlobReader {

    private final Path root;
    private final int maxBytes;

    public FileBlobReader(Path root, int maxBytes) {
        this.root = root.toAbsolutePath().normalize();
        this.maxBytes = maxBytes;
    }

    /** {@code file:relative/dir}, {@code file:/abs/dir} or {@code file:///abs/dir}. */
    public static FileBlobReader forSpec(String spec, int maxBytes) {
        return new FileBlobReader(toPath(spec), maxBytes);
    }

    @Override
    public byte[] read(String uri) throws InvalidImageException {
        if (!uri.regionMatches(true, 0, "file:", 0, 5)) {
            throw new InvalidImageException("Only file: image URIs inside the blob store are read; got a "
                    + BlobReader.scheme(uri) + " URI.");
        }
        Path path;
        try {
            path = toPath(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("The image URI is not a valid file: URI.");
        }
        if (!path.startsWith(root)) {
            throw new InvalidImageException("The image URI points outside the blob store; it is not read.");
        }
        try {
            // Resolve links too: a symlink inside the store must not lead out of it.
            Path real = path.toRealPath();
            if (!real.startsWith(root.toRealPath())) {
                throw new InvalidImageException("The image URI points outside the blob store; it is not read.");
            }
            if (!Files.isRegularFile(real)) {
                throw new InvalidImageException("The image URI does not name a file.");
            }
            if (Files.size(real) > maxBytes) {
                throw new InvalidImageException("The image is larger than " + BlobReader.size(maxBytes) + ".");
            }
            try (InputStream in = Files.newInputStream(real)) {
                return in.readNBytes(maxBytes);
            }
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * A missing file (or a path through a non-directory or a link loop) and a denied permission are
     * permanent: the receipt fails at once. Any other I/O error (a network volume gone stale, a
     * timeout, an unmounted share) is transient and retried by {@link ImageLoader}.
     */
    static InvalidImageException failure(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException || e instanceof FileSystemLoopException) {
            return new InvalidImageException("The image is not in the blob store (no such file).");
        }
        if (e instanceof AccessDeniedException) {
            return new InvalidImageException("The blob store refused to give the image (permission denied).");
        }
        return new BlobStoreUnavailableException("The blob store is unavailable (I/O error reading the file: "
                + e.getClass().getSimpleName() + ")", e);
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    private static Path toPath(String fileUri) {
        String rest = fileUri.substring(5);
        if (rest.startsWith("/")) {
            // file:///abs and file:/abs, percent-encoding decoded.
            return Path.of(URI.create("file:" + rest));
        }
        // file:relative/dir (the blob-store setting's short form).
        return Path.of(rest.isEmpty() ? "." : rest);
    }
}
