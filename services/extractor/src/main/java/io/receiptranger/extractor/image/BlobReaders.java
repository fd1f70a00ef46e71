package io.receiptranger.extractor.image;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Chooses the blob reader from {@code RANGER_BLOB_STORE}, as the ingest chooses its store: {@code file:<dir>}
 * or {@code s3://bucket/prefix}. One store at a time: a URI of the other kind is refused, not tried.
 */
public class BlobReaders {

    /** Built at startup, not on the first receipt, so that a misconfigured store stops the service at once. */
    @Produces
    @ApplicationScoped
    @Startup
    BlobReader blobReader(ExtractorConfig config) {
        BlobReader reader = create(config.blobStore(), config.rules().maxImageBytes(),
                Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL_S3"))
                        .or(() -> Optional.ofNullable(System.getenv("AWS_ENDPOINT_URL"))));
        Log.infof("reading images from the blob store %s", reader.describe());
        return reader;
    }

    void close(@Disposes BlobReader reader) {
        reader.close();
    }

    /** A misconfigured store fails startup: better than dead-lettering every receipt that has an image URI. */
    public static BlobReader create(String spec, int maxBytes, Optional<String> s3Endpoint) {
        if (spec.regionMatches(true, 0, "file:", 0, 5)) {
            return FileBlobReader.forSpec(spec, maxBytes);
        }
        if (spec.regionMatches(true, 0, "s3://", 0, 5)) {
            return S3BlobReader.create(spec, maxBytes, s3Endpoint);
        }
        throw new IllegalArgumentException("RANGER_BLOB_STORE must be file:<dir> or s3://bucket/prefix, not " + spec);
    }
}
