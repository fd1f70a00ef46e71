package io.receiptranger.extractor.image;

/**
 * Reads the bytes an {@code image.uri} names, and only from inside the configured blob store
 * ({@code RANGER_BLOB_STORE}): the claim check must not let a record make the extractor read anything
 * else. One implementation per kind of store, chosen from config by {@link BlobReaders}.
 */
public interface BlobReader extends AutoCloseable {

    /**
     * @throws InvalidImageException with the sentence a person reads (it becomes the dead-letter reason)
     *         when the URI is of another kind of store, points outside this one, names nothing, or is too large
     */
    byte[] read(String uri) throws InvalidImageException;

    /** The store, for the startup log (never credentials). */
    String describe();

    @Override
    default void close() {
    }

    /** The scheme of an untrusted URI, short, for a reason text. */
    static String scheme(String uri) {
        int colon = uri.indexOf(':');
        return colon > 0 && colon < 12 ? uri.substring(0, colon) : "schemeless";
    }

    /** "10 MiB", "512 KiB" or "100 bytes": a limit as a person reads it. */
    static String size(long bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }
}
