package io.receiptranger.ingest.view;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.ingest.ReceiptExtracted;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.Stage;

class BatchViewsTest {

    static final String BATCH = "b-1";
    static final Instant AT = Instant.parse("2026-11-28T22:00:00Z");
    static final ReceiptExtracted.Fields TACO = new ReceiptExtracted.Fields("25.5", "21.00", "1.50", "3.00", "USD",
            "2026-01-20", "=Taco\tCabana", List.of("Food & Restaurants"), List.of("Card"), "1234");

    static ReceiptStatus status(String receiptId, Stage stage) {
        return new ReceiptStatus(receiptId, BATCH, stage, stage.name().toLowerCase(), "test", AT);
    }

    @Test
    void aStageNeverMovesBackwards() {
        BatchViews views = new BatchViews();

        views.status(status("r-1", Stage.EXTRACTING));
        views.status(status("r-1", Stage.QUEUED));

        assertThat(views.find(BATCH).orElseThrow().receipts().get(0).stage()).isEqualTo(Stage.EXTRACTING);
    }

    @Test
    void aTerminalStageIsNeverLeft() {
        BatchViews views = new BatchViews();

        views.status(status("r-1", Stage.FAILED));
        views.status(status("r-1", Stage.WRITTEN));

        BatchSnapshot batch = views.find(BATCH).orElseThrow();
        assertThat(batch.receipts().get(0).stage()).isEqualTo(Stage.FAILED);
        assertThat(batch.complete()).isTrue();
    }

    @Test
    void theOwnersRereadReopensAReceiptThatWasNotWrittenButNotAWrittenOne() {
        BatchViews views = new BatchViews();
        views.status(status("r-1", Stage.FAILED));
        views.status(status("r-2", Stage.WRITTEN));
        views.status(status("r-3", Stage.EXCLUDED));

        // When the owner has each read again
        views.status(ReceiptStatus.rereading("r-1", BATCH, AT.plusSeconds(60)));
        views.status(ReceiptStatus.rereading("r-2", BATCH, AT.plusSeconds(60)));
        views.extracted(new ReceiptExtracted("r-2", BATCH, "default", "a.jpg", "x", "EXTRACTED", "", TACO, null, "m", "1", 1,
                AT.plusSeconds(70), "rr-2"));
        views.status(ReceiptStatus.rereading("r-3", BATCH, AT.plusSeconds(60)));

        // Then the ones not written wait for the extractor again; the written one stays as it was
        BatchSnapshot batch = views.find(BATCH).orElseThrow();
        assertThat(batch.receipts()).extracting(ReceiptView::stage).containsExactly(Stage.QUEUED, Stage.WRITTEN, Stage.QUEUED);
        assertThat(batch.receipts().get(1).receipt()).isNull();
        assertThat(batch.complete()).isFalse();
        // And a reopened receipt moves on to one new terminal stage, which it keeps
        views.status(status("r-1", Stage.WRITTEN));
        views.status(status("r-1", Stage.FAILED));
        assertThat(views.find(BATCH).orElseThrow().receipts().get(0).stage()).isEqualTo(Stage.WRITTEN);
        // An operator's replay reopens only a FAILED receipt
        views.status(new ReceiptStatus("r-2", BATCH, Stage.QUEUED, "replayed", "ingest", AT.plusSeconds(90), true));
        assertThat(views.find(BATCH).orElseThrow().receipts().get(1).stage()).isEqualTo(Stage.WRITTEN);
    }

    @Test
    void completeOnlyWhenEveryReceiptIsTerminal() {
        BatchViews views = new BatchViews();
        List<String> events = new ArrayList<>();
        views.status(status("r-1", Stage.RECEIVED));
        views.status(status("r-2", Stage.RECEIVED));
        views.subscribe(BATCH, recorder(events));

        views.status(status("r-1", Stage.WRITTEN));
        views.status(status("r-2", Stage.EXTRACTING));
        views.status(status("r-2", Stage.NOT_A_RECEIPT));
        // A written receipt's extraction (read from another topic) is still on its way: not complete yet.
        assertThat(events).doesNotContain("complete");
        views.extracted(new ReceiptExtracted("r-1", BATCH, "default", "a.jpg", "x", "EXTRACTED", "", TACO, null,
                "gpt-5-mini", "1", 1, AT));

        assertThat(events).containsExactly("snapshot:false", "r-1:WRITTEN", "r-2:EXTRACTING", "r-2:NOT_A_RECEIPT",
                "r-1:WRITTEN", "complete");
    }

    @Test
    void anExtractionShowsItsFieldsAndTheExportNeutralisesFormulas() {
        BatchViews views = new BatchViews();
        views.status(status("r-1", Stage.EXTRACTING));

        views.extracted(new ReceiptExtracted("r-1", BATCH, "default", "a.jpg", "x", "EXTRACTED", "", TACO, null,
                "gpt-5-mini", "1", 1, AT));

        BatchSnapshot batch = views.find(BATCH).orElseThrow();
        assertThat(batch.receipts().get(0).stage()).isEqualTo(Stage.EXTRACTED);
        assertThat(batch.receipts().get(0).receipt().vendor()).isEqualTo("=Taco\tCabana");
        assertThat(Exports.tsv(batch)).isEqualTo("Amount\tDate\t\tVendor\tCategory\n25.50\t1/20/2026\t\t'=Taco Cabana\tFood & Restaurants\n");
        assertThat(batch.totals().byCategory()).containsExactly(new BatchSnapshot.CategoryTotal("Food & Restaurants", 1, "25.50"));
    }

    @Test
    void csvQuotesWhatNeedsQuotingAndJsonKeepsEveryOutcome() {
        BatchViews views = new BatchViews();
        ReceiptExtracted.Fields comma = new ReceiptExtracted.Fields("7", null, null, null, "USD", null, "Joe's, \"Diner\"",
                List.of("Food & Restaurants", "Travel"), List.of(), null);
        views.extracted(new ReceiptExtracted("r-1", BATCH, "default", "a.jpg", "x", "EXTRACTED", "", comma, null, "m", "1", 1, AT));
        views.extracted(new ReceiptExtracted("r-2", BATCH, "default", "b.jpg", "y", "EXCLUDED", "card 1234", TACO, null, "m", "1", 1, AT));

        BatchSnapshot batch = views.find(BATCH).orElseThrow();

        assertThat(Exports.csv(batch)).isEqualTo("Amount,Date,,Vendor,Category\r\n"
                + "7.00,,,\"Joe's, \"\"Diner\"\"\",\"Food & Restaurants, Travel\"\r\n");
        assertThat(batch.receipts()).extracting(ReceiptView::outcome).containsExactly("EXTRACTED", "EXCLUDED");
        assertThat(batch.receipts().get(1).stage()).isEqualTo(Stage.EXCLUDED);
    }

    @Test
    void unknownBatchIsEmpty() {
        assertThat(new BatchViews().find("b-unknown")).isEmpty();
    }

    static BatchListener recorder(List<String> events) {
        return new BatchListener() {
            @Override
            public void snapshot(BatchSnapshot snapshot) {
                events.add("snapshot:" + snapshot.complete());
            }

            @Override
            public void changed(String batchId, ReceiptView receipt) {
                events.add(receipt.receiptId() + ":" + receipt.stage());
            }

            @Override
            public void complete(BatchSnapshot snapshot) {
                events.add("complete");
            }
        };
    }
}
