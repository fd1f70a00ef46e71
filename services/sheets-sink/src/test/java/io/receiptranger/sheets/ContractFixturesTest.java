package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The sink reads the extractor's fixtures and writes statuses the way the contract shows them. */
class ContractFixturesTest {

    /** Jackson as Quarkus configures it (java.time module, ISO dates, unknown properties tolerated per record). */
    static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    static Path contract(String name) {
        return Path.of(System.getProperty("repo.root", "../.."), "contracts", name);
    }

    @Test
    void readsTheExtractedExample() throws Exception {
        ReceiptExtracted extracted = JSON.readValue(Files.readString(contract("receipt-extracted.example.json")), ReceiptExtracted.class);

        assertThat(extracted.receiptId()).isEqualTo("r-2026-0001");
        assertThat(extracted.outcome()).isEqualTo(ReceiptExtracted.EXTRACTED);
        assertThat(extracted.ownerOrDefault()).isEqualTo("default");
        assertThat(extracted.receipt().total()).isEqualTo("25.50");
        assertThat(extracted.receipt().date()).isEqualTo("2026-01-20");
        assertThat(extracted.receipt().vendor()).isEqualTo("Taco Cabana");
        assertThat(extracted.receipt().categories()).containsExactly("Food & Restaurants");
        assertThat(extracted.extractedAt()).isEqualTo("2026-11-28T22:00:04Z");
    }

    @Test
    void readsTheFailedExampleWithoutAReceipt() throws Exception {
        ReceiptExtracted failed = JSON.readValue(Files.readString(contract("receipt-extracted.failed.json")), ReceiptExtracted.class);

        assertThat(failed.outcome()).isEqualTo(ReceiptExtracted.FAILED);
        assertThat(failed.receipt()).isNull();
        assertThat(failed.reason()).contains("OPENAI_API_KEY");
    }

    @Test
    void readsTheCorrectionExamples() throws Exception {
        ReceiptCorrected correct = JSON.readValue(Files.readString(contract("receipt-corrected.example.json")), ReceiptCorrected.class);
        ReceiptCorrected undo = JSON.readValue(Files.readString(contract("receipt-corrected.undo.json")), ReceiptCorrected.class);

        assertThat(correct.correctionId()).isEqualTo("c-2026-0001");
        assertThat(correct.receiptId()).isEqualTo("r-2026-0001");
        assertThat(correct.action()).isEqualTo(ReceiptCorrected.CORRECT);
        assertThat(correct.at()).isEqualTo(Instant.parse("2026-11-30T09:15:00Z"));
        Correction.Fields before = new Correction.Fields("25.50", "2026-01-20", "Taco Cabana", java.util.List.of("Food & Restaurants"));
        assertThat(correct.applyTo(before)).isEqualTo(new Correction.Fields("27.50", "2026-02-01", "Taco Cabana", java.util.List.of("Food & Restaurants")));
        assertThat(undo.action()).isEqualTo(ReceiptCorrected.UNDO);
        assertThat(undo.undoes()).isEqualTo("c-2026-0001");
    }

    @Test
    void readsTheRereadExtractionAndTheDismissal() throws Exception {
        ReceiptExtracted reread = JSON.readValue(Files.readString(contract("receipt-extracted.reread.json")), ReceiptExtracted.class);
        ReceiptExtracted first = JSON.readValue(Files.readString(contract("receipt-extracted.example.json")), ReceiptExtracted.class);
        ReceiptCorrected dismiss = JSON.readValue(Files.readString(contract("receipt-corrected.dismiss.json")), ReceiptCorrected.class);

        assertThat(reread.reread()).isTrue();
        assertThat(reread.rereadId()).isEqualTo("rr-2026-0001");
        assertThat(reread.receipt().total()).isEqualTo("27.50");
        assertThat(first.reread()).isFalse();
        assertThat(dismiss.action()).isEqualTo(ReceiptCorrected.DISMISS);
        assertThat(ReceiptCorrected.ACTIONS).contains(dismiss.action());
        assertThat(dismiss.rereadId()).isEqualTo("rr-2026-0001");
    }

    @Test
    void ignoresFieldsItDoesNotKnow() throws Exception {
        ReceiptExtracted extracted = JSON.readValue("{\"receiptId\":\"x\",\"outcome\":\"EXTRACTED\",\"brandNew\":{\"a\":1},"
                + "\"receipt\":{\"total\":\"1.00\",\"alsoNew\":true}}", ReceiptExtracted.class);

        assertThat(extracted.receipt().total()).isEqualTo("1.00");
    }

    @Test
    void statusSerialisesLikeTheExample() throws Exception {
        ReceiptStatus status = new ReceiptStatus("r-2026-0001", "b-7f3c", "EXTRACTING", "asking gpt-5-mini", "extractor",
                Instant.parse("2026-11-28T22:00:01Z"));

        JsonNode expected = JSON.readTree(Files.readString(contract("receipt-status.example.json")));

        assertThat(JSON.readTree(JSON.writeValueAsString(status))).isEqualTo(expected);
    }
}
