package io.receiptranger.extractor.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Which blob-store failures are retried (transient) and which fail the receipt at once (permanent). */
class BlobFailureClassificationTest {

    private static InvalidImageException s3(Exception e) {
        return S3BlobReader.failure(e, "receipts", "prefix/b/r/image.jpg");
    }

    private static S3Exception s3Status(int status, String code) {
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(code).build())
                .message(code).build();
    }

    @Test
    void s3ServerErrorsThrottlingAndClientSideFailuresAreTransient() {
        assertThat(s3(s3Status(503, "SlowDown"))).isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessage("The blob store is unavailable (S3 answered HTTP 503 SlowDown)");
        assertThat(s3(s3Status(500, "InternalError"))).isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("HTTP 500");
        assertThat(s3(s3Status(429, "TooManyRequests"))).isInstanceOf(BlobStoreUnavailableException.class);
        assertThat(s3(s3Status(400, "RequestTimeout"))).isInstanceOf(BlobStoreUnavailableException.class);
        assertThat(s3(s3Status(400, "Throttling"))).as("the SDK's own throttling codes")
                .isInstanceOf(BlobStoreUnavailableException.class);
        assertThat(s3(SdkClientException.create("Unable to execute HTTP request: Connection refused",
                new ConnectException("Connection refused")))).isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("S3 unreachable");
        assertThat(s3(SdkClientException.create("Unable to load credentials from any of the providers in the chain")))
                .isInstanceOf(BlobStoreUnavailableException.class).hasMessageContaining("credentials did not load");
        assertThat(s3(new SocketTimeoutException("Read timed out"))).as("a stream broken mid-object")
                .isInstanceOf(BlobStoreUnavailableException.class);
    }

    @Test
    void s3MissingForbiddenAndOtherClientErrorsArePermanentWithTheirSentences() {
        assertThat(s3(NoSuchKeyException.builder().statusCode(404).message("no such key").build()))
                .isNotInstanceOf(BlobStoreUnavailableException.class)
                .hasMessage("The image is not in the blob store (no such object).");
        assertThat(s3(NoSuchBucketException.builder().statusCode(404).message("no such bucket").build()))
                .isNotInstanceOf(BlobStoreUnavailableException.class).hasMessageContaining("does not exist");
        assertThat(s3(s3Status(403, "AccessDenied"))).isNotInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageContaining("HTTP 403").hasMessageContaining("may not read it");
        assertThat(s3(s3Status(400, "InvalidArgument"))).isNotInstanceOf(BlobStoreUnavailableException.class)
                .hasMessage("The blob store answered HTTP 400 for the image.");
        assertThat(s3(s3Status(404, ""))).isNotInstanceOf(BlobStoreUnavailableException.class);
    }

    @Test
    void fileStoreIoErrorsAreTransientButMissingAndDeniedArePermanent() {
        assertThat(FileBlobReader.failure(new FileSystemException("/mnt/blobs/a.png", null, "Stale file handle")))
                .isInstanceOf(BlobStoreUnavailableException.class)
                .hasMessage("The blob store is unavailable (I/O error reading the file: FileSystemException)");
        assertThat(FileBlobReader.failure(new IOException("Input/output error")))
                .isInstanceOf(BlobStoreUnavailableException.class);

        assertThat(FileBlobReader.failure(new NoSuchFileException("/mnt/blobs/a.png")))
                .isNotInstanceOf(BlobStoreUnavailableException.class)
                .hasMessage("The image is not in the blob store (no such file).");
        assertThat(FileBlobReader.failure(new NotDirectoryException("/mnt/blobs/a.png/x")))
                .isNotInstanceOf(BlobStoreUnavailableException.class);
        assertThat(FileBlobReader.failure(new AccessDeniedException("/mnt/blobs/a.png")))
                .isNotInstanceOf(BlobStoreUnavailableException.class).hasMessageContaining("permission denied");
    }
}
