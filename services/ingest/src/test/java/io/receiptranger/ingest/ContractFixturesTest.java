package io.receiptranger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The ingest's records against the shared fixtures in {@code contracts/} (CONTRACT §2). */
class ContractFixturesTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(Files.readString(Path.of(System.getProperty("repo.root"), "contracts", name)));
    }

    @Test
    void receiptSubmittedSerialisesLikeTheFixture() throws IOException {
        // Given the fixture's values
        ReceiptSubmitted submitted = new ReceiptSubmitted("r-2026-0001", "b-7f3c", "default", "kafka", "IMG_0042.HEIC",
                "image/jpeg", "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                ImageRef.of("s3://receipts/2026/r-2026-0001.jpg"), null, Instant.parse("2026-11-28T22:00:00Z"),
                "America/Chicago", "Exclude anything paid with the card ending 1234");

        // When serialised, then JSON-equal to the fixture
        assertThat(JSON.readTree(JSON.writeValueAsString(submitted))).isEqualTo(fixture("receipt-submitted.example.json"));
    }

    @Test
    void receiptCorrectedSerialisesLikeTheFixtures() throws IOException {
        ReceiptCorrected correct = new ReceiptCorrected("c-2026-0001", "r-2026-0001", "default", "default",
                Instant.parse("2026-11-30T09:15:00Z"), ReceiptCorrected.CORRECT, "27.50", "2026-02-01", null, null, null);
        ReceiptCorrected undo = new ReceiptCorrected("c-2026-0002", "r-2026-0001", "default", "default",
                Instant.parse("2026-11-30T09:16:00Z"), ReceiptCorrected.UNDO, null, null, null, null, "c-2026-0001");

        assertThat(JSON.readTree(JSON.writeValueAsString(correct))).isEqualTo(fixture("receipt-corrected.example.json"));
        assertThat(JSON.readTree(JSON.writeValueAsString(undo))).isEqualTo(fixture("receipt-corrected.undo.json"));
    }

    @Test
    void aRereadRequestSerialisesLikeTheFixture() throws IOException {
        ReceiptRereadRequested reread = new ReceiptRereadRequested("r-2026-0001", "b-7f3c", "default", "web", "IMG_0042.HEIC", "image/jpeg",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
                ImageRef.of("file:///var/lib/ranger/blobs/b-7f3c/r-2026-0001/image.jpg"), Instant.parse("2026-11-30T10:00:00Z"),
                "Europe/Paris", null, "rr-2026-0001", "default");

        assertThat(JSON.readTree(JSON.writeValueAsString(reread))).isEqualTo(fixture("receipt-reread-requested.example.json"));
        // The ingest's own view of the receipts topic reads it as a submission of that receipt
        assertThat(JSON.treeToValue(fixture("receipt-reread-requested.example.json"), ReceiptSubmitted.class).receiptId()).isEqualTo("r-2026-0001");
    }

    @Test
    void aDismissalAndARereadStatusSerialiseLikeTheFixtures() throws IOException {
        ReceiptCorrected dismiss = new ReceiptCorrected("c-2026-0003", "r-2026-0001", "default", "default",
                Instant.parse("2026-11-30T10:01:00Z"), ReceiptCorrected.DISMISS, null, null, null, null, null, "rr-2026-0001");
        ReceiptStatus reopen = ReceiptStatus.rereading("r-2026-0002", "b-7f3c", Instant.parse("2026-11-30T10:00:00Z"));

        assertThat(JSON.readTree(JSON.writeValueAsString(dismiss))).isEqualTo(fixture("receipt-corrected.dismiss.json"));
        assertThat(JSON.readTree(JSON.writeValueAsString(reopen))).isEqualTo(fixture("receipt-status.reread.json"));
        assertThat(JSON.treeToValue(fixture("receipt-status.reread.json"), ReceiptStatus.class).rereads()).isTrue();
        assertThat(JSON.treeToValue(fixture("receipt-status.example.json"), ReceiptStatus.class).rereads()).isFalse();
    }

    @Test
    void theRereadExtractionFixtureReadsAsAReread() throws IOException {
        ReceiptExtracted reread = JSON.treeToValue(fixture("receipt-extracted.reread.json"), ReceiptExtracted.class);

        assertThat(reread.reread()).isTrue();
        assertThat(reread.rereadId()).isEqualTo("rr-2026-0001");
        assertThat(JSON.treeToValue(fixture("receipt-extracted.example.json"), ReceiptExtracted.class).reread()).isFalse();
    }

    @Test
    void aReviewStatusReadsIntoTheViewAsNotTerminal() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode review = (com.fasterxml.jackson.databind.node.ObjectNode) fixture("receipt-status.example.json");
        review.put("stage", "REVIEW");

        ReceiptStatus status = JSON.treeToValue(review, ReceiptStatus.class);

        assertThat(status.stage()).isEqualTo(Stage.REVIEW);
        assertThat(status.stage().terminal()).isFalse();
        assertThat(Stage.EXTRACTED.mayMoveTo(Stage.REVIEW)).isTrue();
        assertThat(Stage.REVIEW.mayMoveTo(Stage.WRITING)).isTrue();
        assertThat(Stage.REVIEW.mayMoveTo(Stage.EXCLUDED)).isTrue();
        assertThat(Stage.WRITING.mayMoveTo(Stage.REVIEW)).isFalse();
    }

    @Test
    void receiptStatusSerialisesLikeTheFixture() throws IOException {
        ReceiptStatus status = new ReceiptStatus("r-2026-0001", "b-7f3c", Stage.EXTRACTING, "asking gpt-5-mini",
                "extractor", Instant.parse("2026-11-28T22:00:01Z"));

        assertThat(JSON.readTree(JSON.writeValueAsString(status))).isEqualTo(fixture("receipt-status.example.json"));
    }

    @Test
    void receiptStatusFixtureReadsIntoTheView() throws IOException {
        ReceiptStatus status = JSON.treeToValue(fixture("receipt-status.example.json"), ReceiptStatus.class);

        assertThat(status.stage()).isEqualTo(Stage.EXTRACTING);
        assertThat(status.batchId()).isEqualTo("b-7f3c");
        assertThat(status.at()).isEqualTo(Instant.parse("2026-11-28T22:00:01Z"));
    }

    @Test
    void extractedFixtureReadsIntoTheView() throws IOException {
        ReceiptExtracted extracted = JSON.treeToValue(fixture("receipt-extracted.example.json"), ReceiptExtracted.class);

        assertThat(extracted.outcome()).isEqualTo("EXTRACTED");
        assertThat(extracted.receipt().total()).isEqualTo("25.50");
        assertThat(extracted.receipt().date()).isEqualTo("2026-01-20");
        assertThat(extracted.receipt().vendor()).isEqualTo("Taco Cabana");
        assertThat(extracted.receipt().categories()).containsExactly("Food & Restaurants");
        assertThat(extracted.receipt().cardLast4()).isEqualTo("1234");
    }

    @Test
    void failedExtractionFixtureReadsIntoTheView() throws IOException {
        ReceiptExtracted failed = JSON.treeToValue(fixture("receipt-extracted.failed.json"), ReceiptExtracted.class);

        assertThat(failed.outcome()).isEqualTo("FAILED");
        assertThat(failed.receipt()).isNull();
        assertThat(failed.reason()).contains("OPENAI_API_KEY");
    }

    @Test
    void submittedFixturesReadIntoTheView() throws IOException {
        ReceiptSubmitted full = JSON.treeToValue(fixture("receipt-submitted.example.json"), ReceiptSubmitted.class);
        ReceiptSubmitted minimal = JSON.treeToValue(fixture("receipt-submitted.minimal.json"), ReceiptSubmitted.class);

        assertThat(full.batchId()).isEqualTo("b-7f3c");
        assertThat(full.image().uri()).isEqualTo("s3://receipts/2026/r-2026-0001.jpg");
        assertThat(minimal.receiptId()).isEqualTo("outside-42");
        assertThat(minimal.image().base64()).startsWith("iVBOR");
    }
}
