package io.receiptranger.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.extractor.ReceiptExtracted.Arithmetic;
import io.receiptranger.extractor.ReceiptExtracted.Checks;
import io.receiptranger.extractor.ReceiptExtracted.Outcome;
import io.receiptranger.extractor.ReceiptExtracted.Receipt;
import io.receiptranger.extractor.ReceiptStatus.Stage;

/** Our records against the shared fixtures in {@code contracts/} (producer: JSON-equal; consumer: reads them). */
class ContractFixturesTest {

    private static final Instant EXTRACTED_AT = Instant.parse("2026-11-28T22:00:04Z");

    static JsonNode fixture(String name) throws IOException {
        return Json.MAPPER.readTree(Files.readString(contracts().resolve(name)));
    }

    static Path contracts() {
        return Path.of(System.getProperty("repo.root", "../.."), "contracts");
    }

    @Test
    void extractedReceiptSerialisesToTheExampleFixture() throws IOException {
        // Given the example's receipt as our record
        ReceiptExtracted extracted = new ReceiptExtracted("r-2026-0001", "b-7f3c", "default", "IMG_0042.HEIC",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", Outcome.EXTRACTED, "",
                new Receipt(new BigDecimal("25.5"), new BigDecimal("21"), new BigDecimal("1.50"), new BigDecimal("3.00"),
                        "USD", LocalDate.of(2026, 1, 20), "Taco Cabana", List.of("Food & Restaurants"),
                        List.of("Card"), "1234"),
                new Checks(Arithmetic.OK, false), "gpt-5-mini", "1", 1, EXTRACTED_AT);

        // When it is serialised, Then it is JSON-equal to the fixture
        assertThat(Json.MAPPER.readTree(Json.write(extracted))).isEqualTo(fixture("receipt-extracted.example.json"));
    }

    @Test
    void aSubmissionHeldForReviewPassesTheFlagOnToItsExtraction() throws IOException {
        com.fasterxml.jackson.databind.node.ObjectNode held = (com.fasterxml.jackson.databind.node.ObjectNode) fixture("receipt-submitted.example.json");
        held.put("review", true);
        ReceiptSubmitted submitted = Json.MAPPER.treeToValue(held, ReceiptSubmitted.class);
        ReceiptExtracted failed = ReceiptExtracted.failed(submitted, "no key", "none", "1", 0, EXTRACTED_AT);

        assertThat(Json.MAPPER.readTree(Json.write(failed.withReview(submitted.review()))).path("review").asBoolean()).isTrue();
        assertThat(Json.MAPPER.readTree(Json.write(failed.withReview(null))).has("review")).isFalse();
    }

    @Test
    void failedExtractionSerialisesToTheFailedFixture() throws IOException {
        ReceiptSubmitted submitted = new ReceiptSubmitted("r-2026-0002", "b-7f3c", null, null, "cat.jpg", null,
                "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae", null, null, null, null);

        ReceiptExtracted failed = ReceiptExtracted.failed(submitted, ExtractionService.NO_BACKEND, "none", "1", 0,
                EXTRACTED_AT);

        assertThat(Json.MAPPER.readTree(Json.write(failed))).isEqualTo(fixture("receipt-extracted.failed.json"));
    }

    @Test
    void statusSerialisesToTheStatusFixture() throws IOException {
        ReceiptStatus status = ReceiptStatus.of("r-2026-0001", "b-7f3c", Stage.EXTRACTING, "asking gpt-5-mini",
                Instant.parse("2026-11-28T22:00:01Z"));

        assertThat(Json.MAPPER.readTree(Json.write(status))).isEqualTo(fixture("receipt-status.example.json"));
    }

    @Test
    void fullSubmittedFixtureDeserialises() throws IOException {
        ReceiptSubmitted submitted = Json.MAPPER.treeToValue(fixture("receipt-submitted.example.json"),
                ReceiptSubmitted.class);

        assertThat(submitted.receiptId()).isEqualTo("r-2026-0001");
        assertThat(submitted.batchId()).isEqualTo("b-7f3c");
        assertThat(submitted.image().uri()).isEqualTo("s3://receipts/2026/r-2026-0001.jpg");
        assertThat(submitted.timeZone()).isEqualTo("America/Chicago");
        assertThat(submitted.exclusionCriteria()).isEqualTo("Exclude anything paid with the card ending 1234");
    }

    @Test
    void minimalSubmittedFixtureDeserialisesWithDefaults() throws IOException {
        ReceiptSubmitted submitted = Json.MAPPER.treeToValue(fixture("receipt-submitted.minimal.json"),
                ReceiptSubmitted.class);

        assertThat(submitted.receiptId()).isEqualTo("outside-42");
        assertThat(submitted.image().base64()).startsWith("iVBORw0KGgo");
        assertThat(submitted.ownerOrDefault()).isEqualTo("default");
        assertThat(submitted.timeZone()).isNull();
    }

    @Test
    void aRereadRequestReadsAsAReceiptToReadAgain() throws IOException {
        ReceiptSubmitted reread = Json.MAPPER.treeToValue(fixture("receipt-reread-requested.example.json"), ReceiptSubmitted.class);

        assertThat(reread.reread()).isTrue();
        assertThat(reread.rereadId()).isEqualTo("rr-2026-0001");
        assertThat(reread.receiptId()).isEqualTo("r-2026-0001");
        assertThat(reread.image().uri()).endsWith("/b-7f3c/r-2026-0001/image.jpg");
        assertThat(Json.MAPPER.treeToValue(fixture("receipt-submitted.example.json"), ReceiptSubmitted.class).reread()).isFalse();
    }

    @Test
    void theExtractionOfARereadSerialisesToTheRereadFixture() throws IOException {
        ReceiptSubmitted reread = Json.MAPPER.treeToValue(fixture("receipt-reread-requested.example.json"), ReceiptSubmitted.class);
        ReceiptExtracted extracted = new ReceiptExtracted(reread.receiptId(), reread.batchId(), reread.ownerOrDefault(), reread.fileName(),
                reread.sha256(), Outcome.EXTRACTED, "",
                new Receipt(new BigDecimal("27.5"), null, null, null, "USD", LocalDate.of(2026, 1, 20), "Taco Cabana",
                        List.of("Food & Restaurants"), List.of("Card"), null),
                new Checks(Arithmetic.UNKNOWN, false), "gpt-5-mini", "1", 1, Instant.parse("2026-11-30T10:00:06Z"));

        assertThat(Json.MAPPER.readTree(Json.write(extracted.withReview(reread.review()).withReread(reread.rereadId()))))
                .isEqualTo(fixture("receipt-extracted.reread.json"));
        assertThat(Json.MAPPER.readTree(Json.write(extracted.withReread(null))).has("rereadId")).isFalse();
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        ReceiptSubmitted submitted = Json.MAPPER.readValue(
                "{\"receiptId\":\"x\",\"image\":{\"uri\":\"file:///a\",\"extra\":1},\"futureField\":{\"a\":[1]}}",
                ReceiptSubmitted.class);

        assertThat(submitted.receiptId()).isEqualTo("x");
    }
}
