package io.receiptranger.ingest.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * A folder on the local disk ({@code file:<dir>}): for local runs and tests. URIs are
 * {@code file:///abs/path}; reads refuse anything outside the folder once the path is normalised.
 */
public final class FileBlobStore implements BlobStore {

    private final Path root;

    public FileBlobStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    @Override
    public String put(String key, byte[] bytes, String contentType) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        Files.write(tmp, bytes);
        // Written whole or not at all: a reader never sees half an image.
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toUri().toString();
    }

    @Override
    public String put(String key, Path file, String contentType) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path tmp = Files.createTempFile(target.getParent(), ".upload-", ".tmp");
        Files.copy(file, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target.toUri().toString();
    }

    @Override
    public String uriOf(String key) throws IOException {
        return resolve(key).toUri().toString();
    }

    @Override
    public byte[] get(String uri) throws IOException {
        URI parsed = URI.create(uri);
        if (!"file".equals(parsed.getScheme())) {
            throw new IOException("not a file: URI: " + uri);
        }
        Path path = Path.of(parsed).toAbsolutePath().normalize();
        if (!path.startsWith(root)) {
            throw new IOException("outside the blob store: " + uri);
        }
        return Files.readAllBytes(path);
    }

    @Override
    public List<StoredBlob> list() throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            // Keys use '/' whatever the platform, as put() received them.
            return files.filter(Files::isRegularFile)
                    .map(p -> new StoredBlob(root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/"),
                            lastModified(p).toInstant()))
                    .toList();
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        return Files.deleteIfExists(resolve(key));
    }

    @Override
    public String describe() {
        return "file:" + root;
    }

    private Path resolve(String key) throws IOException {
        Path target = root.resolve(key).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("invalid blob key: " + key);
        }
        return target;
    }

    private static FileTime lastModified(Path p) {
        try {
            return Files.getLastModifiedTime(p);
        } catch (IOException e) {
            return FileTime.from(Instant.MAX);
        }
    }
}
