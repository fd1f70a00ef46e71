package io.receiptranger.extractor.image;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Reads a record's image by reference (claim check): a {@code file:} URI inside the configured blob
 * store (normalised and symlink-resolved first, so {@code ..} cannot escape it) or inline base64 of at
 * most 512 KiB. Anything else is refused with a reason. Only JPEG, PNG and WebP pass.
 */
@ApplicationScoped
public class ImageLoader {

    private final Path blobRoot;
    private final int maxInlineBytes;
    private final int maxFileBytes;
    private final ImageNormaliser normaliser;

    @Inject
    public ImageLoader(ExtractorConfig config, ImageNormaliser normaliser) {
        this(blobRoot(config.blobStore()), config.rules().maxInlineImageBytes(), config.rules().maxImageBytes(),
                normaliser);
        if (blobRoot != null) {
            io.quarkus.logging.Log.infof("reading images from the blob store %s", blobRoot);
        }
    }

    ImageLoader(Path blobRoot, int maxInlineBytes, int maxFileBytes, ImageNormaliser normaliser) {
        this.blobRoot = blobRoot;
        this.maxInlineBytes = maxInlineBytes;
        this.maxFileBytes = maxFileBytes;
        this.normaliser = normaliser;
    }

    /**
     * {@code file:<dir>} → the absolute, normalised directory; {@code null} for another kind of store
     * (s3:// is not read by the extractor yet: such URIs are refused with a reason, inline images work).
     */
    static Path blobRoot(String blobStore) {
        if (!blobStore.startsWith("file:")) {
            io.quarkus.logging.Log.warnf("RANGER_BLOB_STORE is not a file: store; only inline (base64) images can be read");
            return null;
        }
        return toPath(blobStore).toAbsolutePath().normalize();
    }

    public ReceiptImage load(ImageRef ref) throws InvalidImageException {
        if (ref == null || (blank(ref.uri()) && blank(ref.base64()))) {
            throw new InvalidImageException("The record has no image: expected image.uri or image.base64.");
        }
        byte[] bytes = blank(ref.base64()) ? readUri(ref.uri().trim()) : decodeInline(ref.base64());
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new InvalidImageException(
                "The image is not a JPEG, PNG or WebP file (checked by its content)."));
        return normaliser.normalise(new ReceiptImage(bytes, format));
    }

    private byte[] decodeInline(String base64) throws InvalidImageException {
        String compact = base64.replaceAll("\\s", "");
        if (compact.startsWith("data:")) {
            int comma = compact.indexOf(',');
            compact = comma < 0 ? "" : compact.substring(comma + 1);
        }
        // Check the size before allocating: 4 characters carry 3 bytes.
        if ((long) compact.length() / 4 * 3 > maxInlineBytes + 3L) {
            throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024)
                    + " KiB; put it in the blob store and send image.uri instead.");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(compact);
            if (bytes.length > maxInlineBytes) {
                throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024) + " KiB.");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("image.base64 is not valid base64.");
        }
    }

    private byte[] readUri(String uri) throws InvalidImageException {
        if (blobRoot == null) {
            throw new InvalidImageException("This extractor reads image URIs only from a file: blob store; "
                    + "send the image inline (image.base64) or configure RANGER_BLOB_STORE=file:<dir>.");
        }
        if (!uri.regionMatches(true, 0, "file:", 0, 5)) {
            throw new InvalidImageException("Only file: image URIs inside the blob store are read; got a "
                    + scheme(uri) + " URI.");
        }
        Path path;
        try {
            path = toPath(uri).toAbsolutePath().normalize();
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("The image URI is not a valid file: URI.");
        }
        if (!path.startsWith(blobRoot)) {
            throw new InvalidImageException("The image URI points outside the blob store; it is not read.");
        }
        try {
            // Resolve links too: a symlink inside the store must not lead out of it.
            Path real = path.toRealPath();
            if (!real.startsWith(blobRoot.toRealPath())) {
                throw new InvalidImageException("The image URI points outside the blob store; it is not read.");
            }
            if (!Files.isRegularFile(real)) {
                throw new InvalidImageException("The image URI does not name a file.");
            }
            if (Files.size(real) > maxFileBytes) {
                throw new InvalidImageException("The image is larger than " + (maxFileBytes / (1024 * 1024)) + " MiB.");
            }
            try (InputStream in = Files.newInputStream(real)) {
                return in.readNBytes(maxFileBytes);
            }
        } catch (NoSuchFileException e) {
            throw new InvalidImageException("The image is not in the blob store (no such file).");
        } catch (IOException e) {
            throw new InvalidImageException("The image could not be read from the blob store.", e);
        }
    }

    private static Path toPath(String fileUri) {
        String rest = fileUri.substring(5);
        if (rest.startsWith("/")) {
            // file:///abs and file:/abs, percent-encoding decoded.
            return Path.of(URI.create("file:" + rest));
        }
        // file:relative/dir (the blob-store setting's short form).
        return Path.of(rest);
    }

    private static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon > 0 && colon < 12 ? uri.substring(0, colon) : "schemeless";
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
