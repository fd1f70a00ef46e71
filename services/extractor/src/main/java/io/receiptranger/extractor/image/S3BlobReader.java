package io.receiptranger.extractor.image;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

import io.quarkus.logging.Log;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * {@code s3://bucket/prefix}: images the ingest put in an S3 bucket (or MinIO, Ceph… through
 * {@code AWS_ENDPOINT_URL}, path-style). Only {@code s3://bucket/prefix/...} is read: the key's
 * {@code .} and {@code ..} segments are resolved first, so a URI cannot climb out of the prefix.
 * Credentials and region come from the SDK's usual chain and are never logged.
 */
public final class S3BlobReader implements BlobReader {

    private final S3Client s3;
    private final String bucket;
    /** Empty (the whole bucket) or ending in "/", so {@code prefix2/} is not inside {@code prefix/}. */
    private final String prefix;
    private final int maxBytes;

    public S3BlobReader(S3Client s3, String bucket, String prefix, int maxBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        String trimmed = prefix.replaceFirst("^/+", "");
        this.prefix = trimmed.isEmpty() || trimmed.endsWith("/") ? trimmed : trimmed + "/";
        this.maxBytes = maxBytes;
    }

    /** The reader for {@code s3://bucket/prefix}, built like the ingest's S3 store (same env variables). */
    public static S3BlobReader create(String spec, int maxBytes, Optional<String> endpoint) {
        String rest = spec.substring("s3://".length());
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        if (bucket.isBlank()) {
            throw new IllegalArgumentException("RANGER_BLOB_STORE must name a bucket: s3://bucket/prefix");
        }
        // Checksums only where S3 requires them: S3-compatible stores (MinIO, S3Proxy, Ceph) do not all
        // send the ones the SDK would otherwise validate.
        S3ClientBuilder builder = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        // As the ingest: the region from the environment, else us-east-1 (what S3-compatible stores expect),
        // without the SDK's instance-metadata lookup that stalls startup off AWS.
        String region = Optional.ofNullable(System.getenv("AWS_REGION"))
                .or(() -> Optional.ofNullable(System.getenv("AWS_DEFAULT_REGION"))).orElse("us-east-1");
        builder.region(Region.of(region));
        // A custom endpoint is MinIO and friends, which rarely serve virtual-hosted bucket names.
        endpoint.filter(e -> !e.isBlank()).ifPresent(e -> builder.endpointOverride(URI.create(e)).forcePathStyle(true));
        return new S3BlobReader(builder.build(), bucket, slash < 0 ? "" : rest.substring(slash + 1), maxBytes);
    }

    @Override
    public byte[] read(String uri) throws InvalidImageException {
        // Parsed by hand, not with java.net.URI: an s3:// URI carries the key literally (as the ingest and
        // the AWS CLI write it), with no percent-decoding that could smuggle in a "..".
        if (!uri.regionMatches(true, 0, "s3://", 0, 5)) {
            throw new InvalidImageException("Only s3:// image URIs inside the blob store " + describe()
                    + " are read; got a " + BlobReader.scheme(uri) + " URI.");
        }
        String rest = uri.substring(5);
        int slash = rest.indexOf('/');
        if (!bucket.equals(slash < 0 ? rest : rest.substring(0, slash))) {
            throw new InvalidImageException("The image URI names another bucket than the blob store "
                    + describe() + "; it points outside the blob store and is not read.");
        }
        String key = normalise(slash < 0 ? "" : rest.substring(slash + 1));
        if (key == null || !key.startsWith(prefix)) {
            throw new InvalidImageException("The image URI points outside the blob store; it is not read.");
        }
        if (key.length() == prefix.length() || key.endsWith("/")) {
            throw new InvalidImageException("The image URI does not name an object.");
        }
        return get(key);
    }

    private byte[] get(String key) throws InvalidImageException {
        try (ResponseInputStream<GetObjectResponse> in = s3.getObject(GetObjectRequest.builder().bucket(bucket).key(key).build())) {
            Long length = in.response().contentLength();
            if (length != null && length > maxBytes) {
                in.abort(); // refused by the announced length: do not download what would be dropped
                throw tooLarge();
            }
            byte[] bytes = in.readNBytes(maxBytes);
            // The announced length may be absent or wrong: one byte beyond the cap is also too large.
            if (bytes.length == maxBytes && in.read() != -1) {
                in.abort();
                throw tooLarge();
            }
            return bytes;
        } catch (SdkException | IOException e) {
            throw failure(e, bucket, key);
        }
    }

    /**
     * What a failed read means: missing (404), forbidden (403) and other 4xx answers are permanent and
     * fail the receipt at once; 5xx, 429/503 throttling (SlowDown) and client-side failures (endpoint
     * unreachable, connection reset, credentials that do not load) are transient and retried by
     * {@link ImageLoader} after the SDK's own retries.
     */
    static InvalidImageException failure(Exception e, String bucket, String key) {
        if (e instanceof NoSuchKeyException) {
            return new InvalidImageException("The image is not in the blob store (no such object).");
        }
        if (e instanceof NoSuchBucketException) {
            return new InvalidImageException("The blob store's bucket " + bucket + " does not exist.");
        }
        if (e instanceof SdkServiceException service) {
            int status = service.statusCode();
            String code = e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                    && aws.awsErrorDetails().errorCode() != null ? aws.awsErrorDetails().errorCode() : "";
            if (status == 403) {
                // S3 answers 403, not 404, for a missing key when the reader may not list the bucket.
                return new InvalidImageException("The blob store refused to give the image (HTTP 403): it is "
                        + "missing, or the extractor's AWS credentials may not read it.");
            }
            if (status >= 500 || status == 429 || status == 408 || service.isThrottlingException()
                    || code.equals("SlowDown") || code.equals("RequestTimeout")) {
                Log.warnf("reading s3://%s/%s failed: HTTP %d %s", bucket, key, status, code);
                return new BlobStoreUnavailableException("The blob store is unavailable (S3 answered HTTP " + status
                        + (code.isEmpty() ? "" : " " + code) + ")", e);
            }
            return new InvalidImageException("The blob store answered HTTP " + status + " for the image.", e);
        }
        // Client side (unreachable endpoint, broken connection, credentials not loading) or a broken
        // stream: nothing says the object is bad. Logged without credentials (the SDK never puts them in messages).
        Log.warnf("reading s3://%s/%s failed: %s", bucket, key, e.getMessage());
        return new BlobStoreUnavailableException("The blob store is unavailable (S3 unreachable, or the AWS "
                + "credentials did not load; see the extractor's log)", e);
    }

    private InvalidImageException tooLarge() {
        return new InvalidImageException("The image is larger than " + BlobReader.size(maxBytes) + ".");
    }

    /** Resolves {@code .} and {@code ..} segments as a path would; {@code null} when ".." climbs above the bucket. */
    static String normalise(String key) {
        Deque<String> segments = new ArrayDeque<>();
        for (String segment : key.split("/", -1)) {
            if (segment.equals("..")) {
                if (segments.pollLast() == null) {
                    return null;
                }
            } else if (!segment.equals(".")) {
                segments.addLast(segment);
            }
        }
        return String.join("/", segments);
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void close() {
        s3.close();
    }
}
