package io.receiptranger.extractor.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.RetryPolicy;
import io.receiptranger.extractor.it.TestImages;

/**
 * A briefly unavailable blob store delays a receipt (retried with back-off inside the budget); a
 * permanent refusal fails it at once. Back-offs of 10–40 ms and a 400 ms budget keep this fast.
 */
class BlobRetryTest {

    private static final RetryPolicy FAST = new RetryPolicy(Duration.ofMillis(10), Duration.ofMillis(40),
            Duration.ofMillis(400));
    private static final String URI = "file:///blobs/b/r/image.png";

    /** Fails with {@code failure} the first {@code failures} reads, then returns a PNG. */
    static final class FlakyReader implements BlobReader {
        final AtomicInteger reads = new AtomicInteger();
        final int failures;
        final InvalidImageException failure;

        FlakyReader(int failures, InvalidImageException failure) {
            this.failures = failures;
            this.failure = failure;
        }

        @Override
        public byte[] read(String uri) throws InvalidImageException {
            if (reads.incrementAndGet() <= failures) {
                throw failure;
            }
            return TestImages.png(20, 10);
        }

        @Override
        public String describe() {
            return "flaky";
        }
    }

    private static ImageLoader loader(BlobReader reader) {
        return new ImageLoader(reader, 512 * 1024, new ImageNormaliser(2048), FAST);
    }

    @Test
    void aStoreThatFailsTransientlyThreeTimesIsReadOnTheFourthTry() throws Exception {
        // Given a store that answers 503 SlowDown three times
        FlakyReader reader = new FlakyReader(3, new BlobStoreUnavailableException(
                "The blob store is unavailable (S3 answered HTTP 503 SlowDown)", null));

        // When
        ReceiptImage image = loader(reader).load(new ImageRef(URI, null));

        // Then
        assertThat(image.format()).isEqualTo(ImageFormat.PNG);
        assertThat(reader.reads).hasValue(4);
    }

    @Test
    void aStoreThatStaysUnavailableFailsOnceTheBudgetIsSpentNamingTheProblem() {
        // Given a store that never comes back
        FlakyReader reader = new FlakyReader(Integer.MAX_VALUE, new BlobStoreUnavailableException(
                "The blob store is unavailable (S3 unreachable, or the AWS credentials did not load; see the extractor's log)",
                null));
        long started = System.nanoTime();

        // When / Then: a permanent failure (not retried again upstream) whose sentence names the store problem
        assertThatThrownBy(() -> loader(reader).load(new ImageRef(URI, null)))
                .isInstanceOf(InvalidImageException.class)
                .isNotInstanceOf(BlobStoreUnavailableException.class)
                .hasMessageStartingWith("The blob store is unavailable (S3 unreachable")
                .hasMessageContaining("gave up after")
                .hasMessageEndingWith("(blob-store retry budget 400 ms).");
        assertThat(reader.reads.get()).isGreaterThan(1);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
    }

    @Test
    void aPermanentRefusalIsNotRetried() {
        FlakyReader reader = new FlakyReader(Integer.MAX_VALUE,
                new InvalidImageException("The image is not in the blob store (no such object)."));

        assertThatThrownBy(() -> loader(reader).load(new ImageRef(URI, null)))
                .hasMessage("The image is not in the blob store (no such object).");
        assertThat(reader.reads).hasValue(1);
    }

    @Test
    void inlineImagesNeverTouchTheStore() throws Exception {
        FlakyReader reader = new FlakyReader(Integer.MAX_VALUE, new BlobStoreUnavailableException("down", null));

        loader(reader).load(new ImageRef(null, java.util.Base64.getEncoder().encodeToString(TestImages.png(5, 5))));

        assertThat(reader.reads).hasValue(0);
    }

    @Test
    void theBackoffIsTheModelsExponentialFullJitter() {
        for (int i = 0; i < 50; i++) {
            assertThat(FAST.backoff(1).toMillis()).isBetween(10L, 10L);
            assertThat(FAST.backoff(3).toMillis()).isBetween(10L, 40L);
            assertThat(FAST.backoff(30).toMillis()).isBetween(10L, 40L);
        }
        assertThat(new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(20), Duration.ofSeconds(120)).budgetText())
                .isEqualTo("120 s");
    }
}
