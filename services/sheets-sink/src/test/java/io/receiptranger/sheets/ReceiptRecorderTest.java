package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.receiptranger.fakesheets.Cell;
import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsClient;
import io.receiptranger.sheets.sheets.SpreadsheetTargets;
import io.receiptranger.sheets.sheets.TabCache;

/**
 * The writing rules with the real Google client against the fake Sheets server (in-process), the
 * ledger in memory: layout, dates, formulas refused, dedupe, crash reconciliation, back-off.
 */
class ReceiptRecorderTest extends RecordingSink {

    @Test
    void aReceiptBecomesARowInANewMonthTabWithTheHeader() {
        recorder.record(List.of(extracted("r-1", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants")));

        assertThat(fake.tabs(SHEET)).containsExactly("Sheet1", "January 2026");
        assertThat(fake.formattedRows(SHEET, "January 2026")).containsExactly(
                List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("25.50", "1/20/2026", "", "Taco Cabana", "Food & Restaurants"));
        assertThat(stagesOf("r-1")).containsExactly("WRITING", "WRITTEN");
        assertThat(last("r-1").detail()).isEqualTo("added to January 2026, row 2");
        assertThat(ledger.get("r-1").orElseThrow().state()).isEqualTo(LedgerEntry.WRITTEN);
        assertThat(ledger.get("r-1").orElseThrow().sha256()).isEqualTo("sha-r-1");
    }

    @Test
    void anOwnerWhoReviewsBeforeWritingHasEveryReceiptHeldWhateverTheSubmissionSaid() {
        // Given the owner turned review before writing on (their setting, not the upload's flag)
        reviewing.add("default");

        // When a receipt arrives without "review": true
        recorder.record(List.of(extracted("r-1", "12.00", "2026-01-10", "Cafe Central", "Food & Restaurants")));

        // Then it waits at REVIEW with no row; once the setting is off, the next one is written
        assertThat(ledger.get("r-1").orElseThrow().state()).isEqualTo(LedgerEntry.REVIEW);
        assertThat(stagesOf("r-1")).containsExactly("REVIEW");
        assertThat(fake.tabs(SHEET)).containsExactly("Sheet1");
        reviewing.remove("default");
        recorder.record(List.of(extracted("r-2", "13.00", "2026-01-11", "Cafe Central", "Food & Restaurants")));
        assertThat(ledger.get("r-2").orElseThrow().state()).isEqualTo(LedgerEntry.WRITTEN);
    }

    static ReceiptExtracted reread(ReceiptExtracted e, String rereadId, String extractedAt) {
        return new ReceiptExtracted(e.receiptId(), e.batchId(), e.owner(), e.fileName(), e.sha256(), e.outcome(), e.reason(), e.receipt(),
                extractedAt, null, rereadId);
    }

    static ReceiptExtracted failed(String id, String reason) {
        return new ReceiptExtracted(id, "b-1", "default", id + ".jpg", "sha-" + id, ReceiptExtracted.FAILED, reason, null,
                "2026-11-28T21:00:00Z");
    }

    @Test
    void aRereadOfAWrittenReceiptOffersTheNewValuesBesideTheOldOnesAndLeavesTheRowAlone() {
        // Given a written receipt
        recorder.record(List.of(extracted("r-1", "12.00", "2026-01-10", "Cafe Central", "Food & Restaurants")));
        int writes = fake.writeRequests();

        // When the owner's re-read reads another total, and that extraction is delivered twice
        ReceiptExtracted again = reread(extracted("r-1", "15.00", "2026-01-10", "Cafe Central", "Food & Restaurants"), "rr-1",
                "2026-11-30T10:00:00Z");
        recorder.record(List.of(again));
        recorder.record(List.of(again));

        // Then the sheet and the receipt's values are as they were, and the history offers the new ones once
        assertThat(fake.formattedRows(SHEET, "January 2026")).containsExactly(List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("12.00", "1/10/2026", "", "Cafe Central", "Food & Restaurants"));
        assertThat(fake.writeRequests()).isEqualTo(writes);
        LedgerEntry entry = ledger.get("r-1").orElseThrow();
        assertThat(entry.state()).isEqualTo(LedgerEntry.WRITTEN);
        assertThat(entry.amount()).isEqualTo("12.00");
        assertThat(entry.corrections()).hasSize(1);
        Correction offer = entry.openReread().orElseThrow();
        assertThat(offer.correctionId()).isEqualTo("rr-1");
        assertThat(offer.before().amount()).isEqualTo("12.00");
        assertThat(offer.after().amount()).isEqualTo("15.00");
        assertThat(offer.detail()).isEqualTo("Read again: amount 12.00 → 15.00. Keep the new values or the old ones.");
        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
    }

    @Test
    void aRereadThatReadsTheSameValuesOrFailsOffersNothing() {
        recorder.record(List.of(extracted("r-1", "12.00", "2026-01-10", "Cafe Central", "Food & Restaurants")));

        recorder.record(List.of(reread(extracted("r-1", "12.00", "2026-01-10", "Cafe Central", "Food & Restaurants"), "rr-same",
                "2026-11-30T10:00:00Z")));
        assertThat(ledger.get("r-1").orElseThrow().openReread()).isEmpty();
        recorder.record(List.of(reread(failed("r-1", "The model provider refused the key."), "rr-fail", "2026-11-30T10:01:00Z")));

        LedgerEntry entry = ledger.get("r-1").orElseThrow();
        assertThat(entry.state()).isEqualTo(LedgerEntry.WRITTEN);
        assertThat(entry.openReread()).isEmpty();
        assertThat(entry.corrections()).extracting(Correction::detail).containsExactly("Read again: the same values.",
                "Read again, it could not be read (The model provider refused the key.). The receipt keeps its values.");
    }

    @Test
    void aFailedReceiptIsRememberedAndItsRereadWritesItOnce() {
        // Given a receipt the extractor could not read (the owner's key was refused)
        recorder.record(List.of(failed("r-2", "The model provider refused the key.")));
        assertThat(ledger.get("r-2").orElseThrow().state()).isEqualTo(LedgerEntry.FAILED);
        assertThat(ledger.get("r-2").orElseThrow().detail()).isEqualTo("The model provider refused the key.");
        assertThat(statuses).isEmpty();
        // And the same failed extraction delivered again is still FAILED, with no row
        recorder.record(List.of(failed("r-2", "The model provider refused the key.")));
        assertThat(ledger.get("r-2").orElseThrow().state()).isEqualTo(LedgerEntry.FAILED);

        // When the owner has it read again (a new key) and that extraction is delivered twice
        ReceiptExtracted again = reread(extracted("r-2", "9.99", "2026-01-15", "Book Barn", "Education"), "rr-2", "2026-11-30T10:00:00Z");
        recorder.record(List.of(again));
        recorder.record(List.of(again));

        // Then it is written once, with the re-read in its history
        assertThat(fake.formattedRows(SHEET, "January 2026")).containsExactly(List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("9.99", "1/15/2026", "", "Book Barn", "Education"));
        LedgerEntry entry = ledger.get("r-2").orElseThrow();
        assertThat(entry.state()).isEqualTo(LedgerEntry.WRITTEN);
        assertThat(entry.corrections()).singleElement().satisfies(c -> {
            assertThat(c.correctionId()).isEqualTo("rr-2");
            assertThat(c.action()).isEqualTo(ReceiptCorrected.REREAD);
            assertThat(c.detail()).isEqualTo("read again (it had ended FAILED: The model provider refused the key.)");
        });
        assertThat(stagesOf("r-2")).containsExactly("WRITING", "WRITTEN", "WRITTEN");
    }

    @Test
    void aFailedReceiptGivesWayToALaterReadingButTheSinksOwnFailureIsFinalForTheSameExtraction() {
        // Given the extractor's FAILED, then a later reading of the same receipt (its receipts-dlq record replayed)
        recorder.record(List.of(failed("r-3", "The model provider did not answer.")));
        recorder.record(List.of(extracted("r-3", "5.00", "2026-03-01", "Bakery", "Food & Restaurants")));

        // Then it is written
        assertThat(ledger.get("r-3").orElseThrow().state()).isEqualTo(LedgerEntry.WRITTEN);
        assertThat(fake.formattedRows(SHEET, "March 2026")).hasSize(2);
    }

    @Test
    void amountsAreNumbersAndDatesAreRealDateValues() {
        recorder.record(List.of(extracted("r-1", "25.5", "2026-02-05", "Store", "Groceries")));

        Cell amount = fake.cells(SHEET, "February 2026").get(1).get(0);
        Cell date = fake.cells(SHEET, "February 2026").get(1).get(1);
        assertThat(amount.kind()).isEqualTo("NUMBER");
        assertThat(amount.value()).isEqualTo(25.5);
        assertThat(date.kind()).isEqualTo("NUMBER");
        assertThat(date.formatType()).isEqualTo("DATE");
        assertThat(date.formatted()).isEqualTo("2/5/2026");
    }

    @Test
    void formulaLikeVendorsArriveAsText() {
        recorder.record(List.of(
                extracted("r-1", "1.00", "2026-01-02", "=HYPERLINK(\"http://x\",\"y\")", "Other"),
                extracted("r-2", "2.00", "2026-01-02", "+1", "=1+1")));

        List<List<Cell>> cells = fake.cells(SHEET, "January 2026");
        assertThat(cells.get(1).get(3)).extracting(Cell::kind, Cell::value).containsExactly("STRING", "=HYPERLINK(\"http://x\",\"y\")");
        assertThat(cells.get(2).get(3)).extracting(Cell::kind, Cell::value).containsExactly("STRING", "+1");
        assertThat(cells.get(2).get(4)).extracting(Cell::kind, Cell::value).containsExactly("STRING", "=1+1");
    }

    @Test
    void undatedReceiptsGoToUnknownDateAndDedupeOnlyAmongUndated() {
        fake.typeRow(SHEET, "January 2026", "Amount", "Date", "", "Vendor", "Category");
        fake.typeRow(SHEET, "January 2026", "12.00", "1/5/2026", "", "Corner Shop", "Groceries");

        recorder.record(List.of(extracted("r-1", "12.00", null, "Corner Shop", "Groceries")));
        recorder.record(List.of(extracted("r-2", "12", null, "CORNER  shop", "Groceries")));

        assertThat(fake.formattedRows(SHEET, "Unknown Date")).containsExactly(
                List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("12.00", "", "", "Corner Shop", "Groceries"));
        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
        assertThat(last("r-2").stage()).isEqualTo("DUPLICATE");
        assertThat(last("r-2").detail()).startsWith("already in Unknown Date, row 2").contains("undated receipt");
    }

    @Test
    void aDifferentReceiptMatchingAHandTypedRowIsADuplicate() {
        fake.typeRow(SHEET, "January 2026", "Amount", "Date", "Who", "Vendor", "Category");
        for (int i = 0; i < 12; i++) {
            fake.typeRow(SHEET, "January 2026", String.valueOf(i + 1), "1/" + (i + 1) + "/2026", "Sarah", "Filler " + i, "Other");
        }
        fake.typeRow(SHEET, "January 2026", "$25.50", "01/20/2026", "Graham", "taco cabana", "Food");

        recorder.record(List.of(extracted("r-1", "25.5", "2026-01-20", "Taco  Cabana", "Food & Restaurants")));

        assertThat(last("r-1").stage()).isEqualTo("DUPLICATE");
        assertThat(last("r-1").detail()).isEqualTo("already in January 2026, row 14");
        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(14);
        assertThat(fake.formattedRows(SHEET, "January 2026").get(13)).containsExactly("$25.50", "1/20/2026", "Graham", "taco cabana", "Food");
    }

    @Test
    void aHeaderWithAnotherLayoutAndBlankDuplicateNamesStillReadsByPosition() {
        fake.typeRow(SHEET, "January 2026", "Total", "When", "", "", "Shop", "");
        fake.typeRow(SHEET, "January 2026", "9.99", "1/3/2026", "", "Bakery", "Food & Restaurants");

        recorder.record(List.of(extracted("r-1", "9.99", "2026-01-03", "BAKERY", "Food & Restaurants"),
                extracted("r-2", "5.00", "2026-01-04", "Bakery", "Food & Restaurants")));

        assertThat(last("r-1").detail()).isEqualTo("already in January 2026, row 2");
        assertThat(last("r-2").detail()).isEqualTo("added to January 2026, row 3");
        assertThat(fake.formattedRows(SHEET, "January 2026").get(0)).containsExactly("Total", "When", "", "", "Shop");
    }

    @Test
    void theSameReceiptAgainRepublishesItsOutcomeWithoutANewRow() {
        ReceiptExtracted r1 = extracted("r-1", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants");

        recorder.record(List.of(r1));
        recorder.record(List.of(r1, r1));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(stagesOf("r-1")).containsExactly("WRITING", "WRITTEN", "WRITTEN", "WRITTEN");
    }

    @Test
    void severalMonthsInOneBatchAreOneWriteRequest() {
        int before = fake.writeRequests();

        recorder.record(List.of(
                extracted("r-1", "1.00", "2026-01-02", "A", "Other"),
                extracted("r-2", "2.00", "2026-02-02", "B", "Other"),
                extracted("r-3", "3.00", null, "C", "Other"),
                extracted("r-4", "4.00", "2026-01-03", "D", "Other")));

        assertThat(fake.writeRequests() - before).isEqualTo(1);
        assertThat(fake.tabs(SHEET)).containsExactlyInAnyOrder("Sheet1", "January 2026", "February 2026", "Unknown Date");
        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(3);
    }

    @Test
    void aWriteThatLandedButWhoseAnswerWasLostIsNotWrittenAgain() {
        // The sink recorded PENDING, the row landed, then the process died: the ledger still says PENDING.
        ReceiptExtracted r1 = extracted("r-1", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants");
        recorder.record(List.of(r1));
        LedgerEntry written = ledger.get("r-1").orElseThrow();
        ledger.record(List.of(written.with(LedgerEntry.PENDING, SHEET, written.tab(), written.row(), "writing")));
        statuses.clear();

        recorder.record(List.of(r1));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(stagesOf("r-1")).containsExactly("WRITING", "WRITTEN");
        assertThat(last("r-1").detail()).isEqualTo("added to January 2026, row 2");
    }

    @Test
    void aPendingReceiptWhoseKeyAnotherReceiptWroteMeanwhileIsADuplicate() {
        // r-1 was recorded PENDING and the sink died before the append; r-2 (same key) got written first.
        ReceiptExtracted r1 = extracted("r-1", "6.00", "2026-01-07", "Florist", "Other");
        LedgerEntry draft = ReceiptRecorder.draft(r1);
        ledger.record(List.of(draft.with(LedgerEntry.PENDING, SHEET, draft.tab(), 2, "writing")));
        recorder.record(List.of(extracted("r-2", "6", "2026-01-07", "FLORIST", "Other")));

        recorder.record(List.of(r1));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(last("r-2").stage()).isEqualTo("WRITTEN");
        assertThat(last("r-1").stage()).isEqualTo("DUPLICATE");
        assertThat(ledger.all().stream().filter(LedgerEntry::inTable)).hasSize(1);
    }

    @Test
    void aReceiptWithoutAVendorIsReconciledByItsRow() {
        ReceiptExtracted noVendor = extracted("r-1", "4.20", "2026-01-20", "", "Other");
        recorder.record(List.of(noVendor));
        LedgerEntry written = ledger.get("r-1").orElseThrow();
        ledger.record(List.of(written.with(LedgerEntry.PENDING, SHEET, written.tab(), written.row(), "writing")));
        statuses.clear();

        recorder.record(List.of(noVendor));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(last("r-1").detail()).isEqualTo("added to January 2026, row 2");
    }

    @Test
    void a429StormIsWaitedOutAndEveryRowLandsOnce() {
        fake.failNextWrites(4, 429);
        fake.failNextReads(2, 503);

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other"), extracted("r-2", "2.00", "2026-01-02", "B", "Other")));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(3);
        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
        assertThat(sheetsStatus.isUp()).isTrue();
    }

    @Test
    void aWriteThatLandedButTimedOutIsNotWrittenAgain() {
        // The fake applies the write and never answers: the client times out, like a 5xx after the commit.
        readTimeout = Duration.ofMillis(500);
        recorder = recorder(new SpreadsheetTargets(Map.of(), Optional.of(SHEET)));
        fake.holdNextWrite();

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(stagesOf("r-1")).containsExactly("WRITING", "WRITTEN");
        assertThat(last("r-1").detail()).isEqualTo("added to January 2026, row 2");
        assertThat(fake.writeRequests()).as(fake.requestLog().toString()).isEqualTo(1);
    }

    @Test
    void aSpreadsheetNotSharedFailsTheReceiptsWithWhatToDo() {
        fake.denyAccess(SHEET);

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").stage()).isEqualTo("FAILED");
        assertThat(last("r-1").detail()).contains("share the spreadsheet with " + EMAIL);
        assertThat(sheetsStatus.isUp()).isFalse();
        assertThat(sheetsStatus.problem()).contains(EMAIL);
    }

    @Test
    void aRevokedKeyFailsTheReceiptsWithAnAuthenticationSentence() {
        fake.rejectTokens(true);

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").stage()).isEqualTo("FAILED");
        assertThat(last("r-1").detail()).startsWith("Could not authenticate with Google Sheets as " + EMAIL).contains("GOOGLE_SHEETS_CREDENTIALS");
        assertThat(sheetsStatus.isUp()).isFalse();
    }

    @Test
    void withoutCredentialsTheReceiptsFailSayingWhatToSet() {
        ReceiptRecorder noKey = recorder(new SpreadsheetTargets(Map.of(), Optional.of(SHEET)), new TabCache(Duration.ofMinutes(1)),
                () -> SheetWriterFactory.missingKey(fake));

        noKey.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").stage()).isEqualTo("FAILED");
        assertThat(last("r-1").detail()).contains("no Google credentials").contains("GOOGLE_SHEETS_CREDENTIALS");
        assertThat(sheetsStatus.problem()).contains("no Google credentials");
    }

    @Test
    void theKeyCanComeFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path keyFile = dir.resolve("service_account.json");
        java.nio.file.Files.writeString(keyFile, FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri()));
        TabCache cache = new TabCache(Duration.ofMinutes(1));
        ReceiptRecorder fromFile = recorder(new SpreadsheetTargets(Map.of(), Optional.of(SHEET)), cache, () -> new SheetWriter(SheetsClient.create(
                        new TestSheetsConfig(null, fake.baseUrl() + "/", 600, Duration.ofSeconds(5), keyFile.toString())), ledger, cache));

        fromFile.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
    }

    @Test
    void aKeyThatIsNotJsonIsReportedWithoutQuotingIt() {
        ReceiptRecorder badKey = recorder(new SpreadsheetTargets(Map.of(), Optional.of(SHEET)), new TabCache(Duration.ofMinutes(1)),
                () -> SheetWriterFactory.garbageKey(fake));

        badKey.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").detail()).contains("could not be read from GOOGLE_SHEETS_CREDENTIALS").doesNotContain("c2VjcmV0");
    }

    @Test
    void theStartupProbeReportsAnUnsharedSpreadsheetBeforeAnyReceipt() {
        fake.createSpreadsheet("sheet-locked");
        fake.denyAccess("sheet-locked");
        ReceiptRecorder probing = recorder(new SpreadsheetTargets(SpreadsheetTargets.parse("bob=sheet-locked"), Optional.of(SHEET)));

        connection.probe();

        assertThat(sheetsStatus.isUp()).isFalse();
        assertThat(sheetsStatus.problem()).contains("sheet-locked").contains("share the spreadsheet with " + EMAIL);
        assertThat(statuses).isEmpty();

        // A write to another spreadsheet working does not hide it; sharing it and writing there does.
        probing.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));
        assertThat(sheetsStatus.isUp()).isFalse();
        fake.allowAccess("sheet-locked");
        probing.record(List.of(new ReceiptExtracted("r-b", null, "bob", null, null, "EXTRACTED", "",
                new ReceiptExtracted.Receipt("3.00", null, null, null, null, "2026-03-01", "Cafe", List.of("Other"), List.of(), null), null)));
        assertThat(sheetsStatus.isUp()).isTrue();
    }

    @Test
    void anUnknownSpreadsheetFailsTheReceiptsWithWhatToDo() {
        recorder = recorder(new SpreadsheetTargets(Map.of(), Optional.of("no-such-sheet")));

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(last("r-1").stage()).isEqualTo("FAILED");
        assertThat(last("r-1").detail()).contains("GOOGLE_SHEETS_SPREADSHEET_ID").contains(EMAIL);
    }

    @Test
    void eachOwnerWritesToItsOwnSpreadsheet() {
        fake.createSpreadsheet("sheet-alice");
        recorder = recorder(new SpreadsheetTargets(SpreadsheetTargets.parse("alice=sheet-alice"), Optional.of(SHEET)));
        ReceiptExtracted alice = new ReceiptExtracted("r-a", null, "alice", null, null, "EXTRACTED", "",
                new ReceiptExtracted.Receipt("3.00", null, null, null, null, "2026-03-01", "Cafe", List.of("Other"), List.of(), null), null);

        recorder.record(List.of(alice, extracted("r-d", "4.00", "2026-03-01", "Cafe", "Other")));

        assertThat(fake.formattedRows("sheet-alice", "March 2026")).hasSize(2);
        assertThat(fake.formattedRows(SHEET, "March 2026").get(1).get(0)).isEqualTo("4.00");
    }

    @Test
    void excludedReceiptsAndNonReceiptsAreInTheLedgerButNotInTheSheet() {
        ReceiptExtracted excluded = new ReceiptExtracted("r-x", "b-1", "default", null, "sha-x", "EXCLUDED", "paid with card 1234",
                new ReceiptExtracted.Receipt("3.00", null, null, null, null, "2026-03-01", "Cafe", List.of("Other"), List.of(), "1234"), null);
        ReceiptExtracted notAReceipt = new ReceiptExtracted("r-n", "b-1", "default", null, "sha-n", "NOT_A_RECEIPT", "a cat", null, null);

        recorder.record(List.of(excluded, notAReceipt));

        assertThat(fake.tabs(SHEET)).containsExactly("Sheet1");
        assertThat(ledger.get("r-x").orElseThrow().state()).isEqualTo(LedgerEntry.EXCLUDED);
        assertThat(ledger.get("r-n").orElseThrow().state()).isEqualTo(LedgerEntry.NOT_A_RECEIPT);
        assertThat(ledger.get("r-n").orElseThrow().sha256()).isEqualTo("sha-n");
        assertThat(ledger.get("r-n").orElseThrow().detail()).isEqualTo("a cat");
        assertThat(statuses).isEmpty();

        // A redelivery re-publishes nothing: the extractor published both terminal stages.
        recorder.record(List.of(excluded, notAReceipt));
        assertThat(statuses).isEmpty();
    }

    @Test
    void withoutASpreadsheetTheLedgerAloneRecordsAndDedupes() {
        recorder = recorder(new SpreadsheetTargets(Map.of(), Optional.empty()));

        recorder.record(List.of(extracted("r-1", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants")));
        recorder.record(List.of(extracted("r-2", "25.5", "2026-01-20", "TACO CABANA", "Food & Restaurants")));

        assertThat(last("r-1").detail()).isEqualTo("recorded in the local ledger (Google Sheets not configured)");
        assertThat(last("r-2").stage()).isEqualTo("DUPLICATE");
        assertThat(fake.writeRequests()).isZero();
    }

    @Test
    void aBatchThatCannotBeHandledEndsEachOpenReceiptFailed() {
        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        recorder.giveUp(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other"), extracted("r-2", "2.00", "2026-01-02", "B", "Other")),
                "internal error");

        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
        assertThat(last("r-2").stage()).isEqualTo("FAILED");
        assertThat(ledger.get("r-2").orElseThrow().state()).isEqualTo(LedgerEntry.FAILED);
    }

    @Test
    void twoDifferentReceiptsWithTheSameKeyInOneBatchAreOneRowAndADuplicate() {
        recorder.record(List.of(extracted("r-1", "8.00", "2026-01-09", "Deli", "Other"), extracted("r-2", "8", "2026-01-09", "DELI", "Other")));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(List.of(last("r-1").stage(), last("r-2").stage())).containsExactlyInAnyOrder("WRITTEN", "DUPLICATE");
        assertThat(statuses.stream().filter(st -> st.stage().equals("DUPLICATE")).findFirst().orElseThrow().detail())
                .isEqualTo("already in January 2026, row 2");
    }

    @Test
    void rowsAreWrittenInTheOrderTheirReceiptsWereExtracted() {
        List<ReceiptExtracted> batch = new ArrayList<>();
        for (int i = 5; i >= 1; i--) {
            ReceiptExtracted e = extracted("r-" + i, i + ".00", "2026-01-0" + i, "Shop " + i, "Other");
            batch.add(new ReceiptExtracted(e.receiptId(), e.batchId(), e.owner(), e.fileName(), e.sha256(), e.outcome(), e.reason(), e.receipt(),
                    "2026-11-28T22:00:0" + i + "Z"));
        }

        recorder.record(batch);

        assertThat(fake.formattedRows(SHEET, "January 2026").stream().skip(1).map(r -> r.get(3)))
                .containsExactly("Shop 1", "Shop 2", "Shop 3", "Shop 4", "Shop 5");
    }

    @Test
    void aKafkaHiccupWhileRecordingIsRetried() {
        ledger.failNextRecords(2);

        recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")));

        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
    }

    @Test
    void aWriterThatLostItsPartitionSendsNothingAndLeavesNothingInFlight() {
        Fence lost = new Fence() {
            public LedgerEntry.Writer writer() {
                return new LedgerEntry.Writer(ME, 3);
            }

            public void check() {
                throw new WriterFencedException("partition extractions-0 moved to another sink replica");
            }
        };

        assertThatThrownBy(() -> recorder.record(List.of(extracted("r-1", "1.00", "2026-01-02", "A", "Other")), lost))
                .isInstanceOf(WriterFencedException.class);

        assertThat(fake.writeRequests()).isZero();
        assertThat(ledger.history).filteredOn(e -> e.receiptId().equals("r-1")).extracting(LedgerEntry::writer)
                .containsExactly(new LedgerEntry.Writer(ME, 3), null);
        assertThat(ledger.get("r-1").orElseThrow().state()).isEqualTo(LedgerEntry.PENDING);
        assertThat(stagesOf("r-1")).containsExactly("WRITING");
    }

    @Test
    void aReceiptAnotherReplicaIsStillWritingIsWaitedForAndNotWrittenTwice() throws Exception {
        // Given replica sink-1 recorded r-1 PENDING and its append is still on its way to Google
        Handover quick = new Handover(ledger, new Bookkeeping(ledger, statuses::add, new Retrying(Duration.ofMillis(10), Duration.ofMillis(100))),
                ME, Duration.ofMillis(1500), java.time.Clock.systemUTC());
        recorder = withHandover(quick);
        ReceiptExtracted r1 = extracted("r-1", "6.00", "2026-01-07", "Florist", "Other");
        LedgerEntry draft = ReceiptRecorder.draft(r1);
        fake.typeRow(SHEET, "January 2026", "Amount", "Date", "", "Vendor", "Category");
        ledger.record(List.of(draft.with(LedgerEntry.PENDING, SHEET, draft.tab(), 2, "writing to January 2026, row 2")
                .writtenBy(new LedgerEntry.Writer("sink-1", 4))));
        var otherReplica = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        otherReplica.schedule(() -> fake.typeRow(SHEET, "January 2026", "6.00", "1/7/2026", "", "Florist", "Other"), 500,
                java.util.concurrent.TimeUnit.MILLISECONDS);

        // When this replica gets the receipt after the rebalance
        recorder.record(List.of(r1));
        otherReplica.shutdown();

        // Then it found the other replica's row and owned it
        assertThat(fake.formattedRows(SHEET, "January 2026")).hasSize(2);
        assertThat(last("r-1").stage()).isEqualTo("WRITTEN");
        assertThat(last("r-1").detail()).isEqualTo("added to January 2026, row 2");
        assertThat(fake.writeRequests()).isZero();
    }

    ReceiptRecorder withHandover(Handover handover) {
        Bookkeeping book = new Bookkeeping(ledger, statuses::add, new Retrying(Duration.ofMillis(10), Duration.ofMillis(100)));
        SpreadsheetTargets targets = new SpreadsheetTargets(Map.of(), Optional.of(SHEET));
        return new ReceiptRecorder(ledger, targets, book, new SpreadsheetRecorder(connection, sheetsStatus, book), new LedgerOnlyRecorder(ledger, book),
                handover, new Rereads(ledger, connection), owner -> reviewing.contains(owner));
    }

}
