package io.receiptranger.ingest.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The s3:// store against S3Proxy: a real S3-protocol server, in this JVM, on an in-memory backend. */
class S3BlobStoreTest {

    static final String BUCKET = "receipts";
    static S3Proxy proxy;
    static S3Client s3;

    @BeforeAll
    static void startS3() throws Exception {
        Properties props = new Properties();
        BlobStoreContext context = ContextBuilder.newBuilder("transient").overrides(props).build(BlobStoreContext.class);
        proxy = S3Proxy.builder()
                .blobStore(context.getBlobStore())
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "access", "secret")
                .endpoint(URI.create("http://127.0.0.1:0"))
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.onSpinWait();
        }
        s3 = S3Client.builder().httpClient(UrlConnectionHttpClient.create()).region(Region.US_EAST_1)
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("access", "secret")))
                .endpointOverride(URI.create("http://127.0.0.1:" + proxy.getPort())).forcePathStyle(true).build();
        s3.createBucket(b -> b.bucket(BUCKET));
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
        proxy.stop();
    }

    @Test
    void storesReadsBackAndSweepsImages(@TempDir Path dir) throws IOException {
        // Given
        S3BlobStore store = new S3BlobStore(s3, BUCKET, "ranger/");
        Path file = Files.writeString(dir.resolve("a.jpg"), "original bytes");

        // When
        String original = store.put("b-1/r-1/original.jpg", file, "image/jpeg");
        String image = store.put("b-1/r-1/image.jpg", "normalised".getBytes(StandardCharsets.UTF_8), "image/jpeg");

        // Then
        assertThat(original).isEqualTo("s3://receipts/ranger/b-1/r-1/original.jpg");
        assertThat(new String(store.get(image), StandardCharsets.UTF_8)).isEqualTo("normalised");
        assertThat(new String(store.get(original), StandardCharsets.UTF_8)).isEqualTo("original bytes");
        assertThatThrownBy(() -> store.get("s3://other-bucket/ranger/x")).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> store.get("s3://receipts/elsewhere/x")).isInstanceOf(IOException.class);

        // And retention keeps what is young and deletes what is old
        assertThat(store.deleteOlderThan(Instant.now().minusSeconds(3600))).isZero();
        assertThat(store.deleteOlderThan(Instant.now().plusSeconds(60))).isEqualTo(2);
        assertThatThrownBy(() -> store.get(image)).isInstanceOf(IOException.class);
    }

    @Test
    void retentionCountsFromTheTerminalStage() throws IOException {
        RetentionScenario.retentionCountsFromTheTerminalStage(new S3BlobStore(s3, BUCKET, "retention/"));
    }

    @Test
    void theSpecNamesBucketAndPrefixAndTheEndpointComesFromTheEnvironmentName() {
        S3BlobStore store = S3BlobStore.create("s3://my-bucket/some/prefix", Optional.of("http://127.0.0.1:1"));

        assertThat(store.describe()).isEqualTo("s3://my-bucket/some/prefix/");
    }
}
