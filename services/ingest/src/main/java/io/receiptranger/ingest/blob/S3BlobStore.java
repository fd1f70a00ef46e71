package io.receiptranger.ingest.blob;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code s3://bucket/prefix}: images in an S3 bucket (or MinIO, Ceph… through {@code AWS_ENDPOINT_URL},
 * with path-style addressing). Credentials and region come from the SDK's usual chain
 * ({@code AWS_ACCESS_KEY_ID}, {@code AWS_REGION}, instance roles…) and are never logged.
 */
public final class S3BlobStore implements BlobStore {

    private final S3Client s3;
    private final String bucket;
    private final String prefix;

    public S3BlobStore(S3Client s3, String bucket, String prefix) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
    }

    /** Builds the store for {@code s3://bucket/prefix}, with the endpoint override if one is given. */
    public static S3BlobStore create(String spec, Optional<String> endpoint) {
        URI uri = URI.create(spec);
        String bucket = uri.getHost();
        if (bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("RANGER_BLOB_STORE must name a bucket: s3://bucket/prefix");
        }
        String prefix = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/+", "");
        // Checksums only where S3 requires them: S3-compatible stores (MinIO, S3Proxy, Ceph) often refuse
        // the SDK's default trailing-checksum uploads with 501.
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        String region = Optional.ofNullable(System.getenv("AWS_REGION"))
                .or(() -> Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION"))).orElse("us-east-1");
        builder.region(Region.of(region));
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)).forcePathStyle(true));
        return new S3BlobStore(builder.build(), bucket, prefix);
    }

    @Override
    public String put(String key, byte[] bytes, String contentType) throws IOException {
        String fullKey = prefix + key;
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(fullKey).contentType(contentType).build(),
                    RequestBody.fromBytes(bytes));
        } catch (SdkException e) {
            throw new IOException("S3 put failed: " + e.getMessage(), e);
        }
        return "s3://" + bucket + "/" + fullKey;
    }

    @Override
    public String put(String key, Path file, String contentType) throws IOException {
        String fullKey = prefix + key;
        try {
            s3.putObject(PutObjectRequest.builder().bucket(bucket).key(fullKey).contentType(contentType).build(),
                    RequestBody.fromFile(file));
        } catch (SdkException e) {
            throw new IOException("S3 put failed: " + e.getMessage(), e);
        }
        return "s3://" + bucket + "/" + fullKey;
    }

    @Override
    public String uriOf(String key) throws IOException {
        return "s3://" + bucket + "/" + prefix + key;
    }

    @Override
    public byte[] get(String uri) throws IOException {
        URI parsed = URI.create(uri);
        String key = parsed.getPath() == null ? "" : parsed.getPath().replaceFirst("^/", "");
        if (!"s3".equals(parsed.getScheme()) || !bucket.equals(parsed.getHost()) || !key.startsWith(prefix)
                || key.contains("..")) {
            throw new IOException("outside the blob store: " + uri);
        }
        try {
            return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(bucket).key(key).build()).asByteArray();
        } catch (SdkException e) {
            throw new IOException("S3 get failed: " + e.getMessage(), e);
        }
    }

    @Override
    public List<StoredBlob> list() throws IOException {
        try {
            List<StoredBlob> all = new ArrayList<>();
            for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build())
                    .contents()) {
                // An object without a date is treated as new: kept rather than deleted on a guess.
                all.add(new StoredBlob(o.key().substring(prefix.length()),
                        o.lastModified() == null ? Instant.MAX : o.lastModified()));
            }
            return all;
        } catch (SdkException e) {
            throw new IOException("S3 list failed: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean delete(String key) throws IOException {
        // One DELETE per object: the batch API needs a checksum header that several S3-compatible stores refuse.
        try {
            s3.deleteObject(DeleteObjectRequest.builder().bucket(bucket).key(prefix + key).build());
            return true;
        } catch (SdkException e) {
            throw new IOException("S3 delete failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }
}
