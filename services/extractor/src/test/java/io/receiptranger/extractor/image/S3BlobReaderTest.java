package io.receiptranger.extractor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.RetryPolicy;
import io.receiptranger.extractor.it.TestImages;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The extractor reads images the ingest put in an {@code s3://bucket/prefix} store (CONTRACT §2, §5),
 * against S3Proxy: a real S3-protocol server in this JVM, on an in-memory backend.
 */
class S3BlobReaderTest {

    static final String BUCKET = "receipts";
    static final String OTHER_BUCKET = "elsewhere";
    static S3Proxy proxy;
    static S3Client s3;

    ImageLoader loader;

    @BeforeAll
    static void startS3() throws Exception {
        BlobStoreContext context = ContextBuilder.newBuilder("transient").build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> "STARTED".equals(proxy.getState()));
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .endpointOverride(endpoint()).forcePathStyle(true).build();
        s3.createBucket(b -> b.bucket(BUCKET));
        s3.createBucket(b -> b.bucket(OTHER_BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        proxy.stop();
    }

    @BeforeEach
    void setUp() {
        loader = new ImageLoader(new S3BlobReader(s3, BUCKET, "prefix", 10 * 1024 * 1024), 512 * 1024,
                new ImageNormaliser(2048));
    }

    @Test
    void anImageInsideThePrefixIsLoaded() throws Exception {
        // Given an image where the ingest puts it
        byte[] jpeg = jpeg(64, 48);
        put(BUCKET, "prefix/b/r/image.jpg", jpeg);

        // When
        ReceiptImage image = loader.load(new ImageRef("s3://receipts/prefix/b/r/image.jpg", null));
        ReceiptImage viaDots = loader.load(new ImageRef("s3://receipts/prefix/b/x/../r/./image.jpg", null));

        // Then
        assertThat(image.format()).isEqualTo(ImageFormat.JPEG);
        assertThat(image.bytes()).isEqualTo(jpeg);
        assertThat(viaDots.bytes()).isEqualTo(jpeg);
    }

    @Test
    void urisOutsideThePrefixOrInAnotherBucketAreRefusedWithAReason() {
        // Given images that exist, but outside the store's bucket/prefix
        put(BUCKET, "secret/image.jpg", jpeg(8, 8));
        put(BUCKET, "prefix-other/image.jpg", jpeg(8, 8));
        put(OTHER_BUCKET, "prefix/b/r/image.jpg", jpeg(8, 8));

        // When / Then
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/secret/image.jpg", null)))
                .isInstanceOf(InvalidImageException.class).hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/prefix/../secret/image.jpg", null)))
                .hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/prefix/b/../../../secret/image.jpg", null)))
                .hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/prefix-other/image.jpg", null)))
                .hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://elsewhere/prefix/b/r/image.jpg", null)))
                .hasMessageContaining("another bucket").hasMessageContaining("outside the blob store");
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/prefix/", null)))
                .hasMessageContaining("does not name an object");
    }

    @Test
    void aMissingObjectGivesAClearReason() {
        assertThatThrownBy(() -> loader.load(new ImageRef("s3://receipts/prefix/b/r/missing.jpg", null)))
                .isInstanceOf(InvalidImageException.class)
                .hasMessage("The image is not in the blob store (no such object).");
    }

    @Test
    void anObjectLargerThanTheCapIsRefused() throws Exception {
        // Given a store capped at 1 KiB and a 2 KiB object
        S3BlobReader capped = new S3BlobReader(s3, BUCKET, "prefix/", 1024);
        put(BUCKET, "prefix/b/r/large.jpg", new byte[2048]);
        put(BUCKET, "prefix/b/r/exact.jpg", new byte[1024]);

        // When / Then
        assertThatThrownBy(() -> capped.read("s3://receipts/prefix/b/r/large.jpg"))
                .hasMessage("The image is larger than 1 KiB.");
        assertThat(capped.read("s3://receipts/prefix/b/r/exact.jpg")).hasSize(1024);
    }

    @Test
    void fileUrisAreRefusedWhileTheStoreIsS3AndBase64StillWorks(@TempDir Path dir) throws Exception {
        // Given
        String fileUri = dir.resolve("image.jpg").toUri().toString();
        String png = Base64.getEncoder().encodeToString(TestImages.png(20, 20));

        // When / Then
        assertThatThrownBy(() -> loader.load(new ImageRef(fileUri, null)))
                .hasMessage("Only s3:// image URIs inside the blob store s3://receipts/prefix/ are read; got a file URI.");
        assertThat(loader.load(new ImageRef(null, png)).format()).isEqualTo(ImageFormat.PNG);
    }

    @Test
    void s3UrisAreRefusedWhileTheStoreIsAFileStore(@TempDir Path dir) {
        BlobReader files = BlobReaders.create("file:" + dir, 1024, Optional.empty());

        assertThat(files).isInstanceOf(FileBlobReader.class);
        assertThatThrownBy(() -> files.read("s3://receipts/prefix/b/r/image.jpg")).hasMessageContaining("got a s3 URI");
    }

    @Test
    void theStoreSettingBuildsAPathStyleClientForTheEndpointThatReadsTheImage() throws Exception {
        // Given the setting as an operator writes it, credentials from the SDK's default chain
        put(BUCKET, "ranger/b/r/image.jpg", jpeg(16, 16));
        System.setProperty("aws.accessKeyId", "access");
        System.setProperty("aws.secretAccessKey", "secret");
        try (BlobReader reader = BlobReaders.create("s3://receipts/ranger", 1024 * 1024, Optional.of(endpoint().toString()))) {
            // When
            byte[] bytes = reader.read("s3://receipts/ranger/b/r/image.jpg");

            // Then
            assertThat(reader.describe()).isEqualTo("s3://receipts/ranger/");
            assertThat(ImageFormat.sniff(bytes)).contains(ImageFormat.JPEG);
        } finally {
            System.clearProperty("aws.accessKeyId");
            System.clearProperty("aws.secretAccessKey");
        }
    }

    @Test
    void anUnreachableStoreIsRetriedWithinTheBudgetThenFailsNamingTheProblem() throws Exception {
        // Given an S3 endpoint nobody listens on (the SDK's own retries off, to keep this fast)
        int closedPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (S3Client down = client(URI.create("http://127.0.0.1:" + closedPort), "secret")) {
            ImageLoader retrying = new ImageLoader(new S3BlobReader(down, BUCKET, "prefix", 1024 * 1024), 512 * 1024,
                    new ImageNormaliser(2048), new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(20), Duration.ofMillis(300)));

            // When / Then
            assertThatThrownBy(() -> retrying.load(new ImageRef("s3://receipts/prefix/b/r/image.jpg", null)))
                    .isInstanceOf(InvalidImageException.class)
                    .hasMessageStartingWith("The blob store is unavailable (S3 unreachable")
                    .hasMessageContaining("gave up after")
                    .hasMessageContaining("retry budget 300 ms");
        }
    }

    @Test
    void accessDeniedIsPermanentAndNotRetried() throws Exception {
        // Given credentials the store refuses (HTTP 403) and a budget far longer than the test may take
        put(BUCKET, "prefix/b/r/denied.jpg", jpeg(8, 8));
        try (S3Client wrongKey = client(endpoint(), "not-the-secret")) {
            ImageLoader retrying = new ImageLoader(new S3BlobReader(wrongKey, BUCKET, "prefix", 1024 * 1024), 512 * 1024,
                    new ImageNormaliser(2048), new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofMinutes(5)));
            long started = System.nanoTime();

            // When / Then: refused at once with the 403 sentence
            assertThatThrownBy(() -> retrying.load(new ImageRef("s3://receipts/prefix/b/r/denied.jpg", null)))
                    .isNotInstanceOf(BlobStoreUnavailableException.class)
                    .hasMessageContaining("HTTP 403").hasMessageNotContaining("gave up");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        }
    }

    private static S3Client client(URI endpoint, String secret) {
        return S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", secret)))
                .overrideConfiguration(o -> o.retryStrategy(software.amazon.awssdk.retries.DefaultRetryStrategy.doNotRetry()))
                .endpointOverride(endpoint).forcePathStyle(true).build();
    }

    @Test
    void keysAreNormalisedLikePathsAndNeverClimbAboveTheBucket() {
        assertThat(S3BlobReader.normalise("prefix/b/x/../r/./image.jpg")).isEqualTo("prefix/b/r/image.jpg");
        assertThat(S3BlobReader.normalise("prefix/../secret")).isEqualTo("secret");
        assertThat(S3BlobReader.normalise("../secret")).isNull();
        assertThatThrownBy(() -> BlobReaders.create("ftp://host/x", 1, Optional.empty()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file:<dir> or s3://bucket/prefix");
    }

    private static URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    private static void put(String bucket, String key, byte[] bytes) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("image/jpeg"), RequestBody.fromBytes(bytes));
    }

    private static byte[] jpeg(int width, int height) {
        try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "jpeg", out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
