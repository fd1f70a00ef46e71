package io.receiptranger.sheets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.receiptranger.sheets.messaging.CorrectionConsumer;
import io.receiptranger.sheets.messaging.ExtractionConsumer;
import io.restassured.path.json.JsonPath;

/**
 * The owner's changes on a real broker, applied with the real Google client to the fake Sheets
 * server: a total corrected in place, a date that moves the row to another month tab, a row edited
 * by hand left alone, bad values refused, a deletion and its undo, two corrections at once, a
 * redelivered correction, review before writing. Each test owns its receipts and month tabs in the
 * spreadsheet of owner {@value FakeSheetsResource#FIXER}.
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(FakeSheetsResource.class)
class CorrectionsIT extends SinkOnTheBroker {

    static final String SHEET = FakeSheetsResource.CORRECTIONS;
    static final String OWNER = FakeSheetsResource.FIXER;
    static final List<String> HEADER = List.of("Amount", "Date", "", "Vendor", "Category");

    static String extraction(String id, String total, String date, String vendor, String category, boolean review) {
        return """
                {"receiptId":"%s","batchId":"b-fix","owner":"%s","fileName":"%s.jpg","sha256":"00","outcome":"EXTRACTED","reason":"",
                 "receipt":{"total":"%s","subtotal":null,"tax":null,"tip":null,"currency":"EUR","date":"%s","vendor":"%s",
                 "categories":["%s"],"paymentMethods":["Card"],"cardLast4":null},"checks":{"arithmetic":"OK","dateRetried":false},
                 "model":"gpt-5-mini","promptVersion":"1","attempts":1,"extractedAt":"2026-11-28T22:00:04Z","review":%s}"""
                .formatted(id, OWNER, id, total, date, vendor, category, review);
    }

    static void written(String id, String total, String date, String vendor, String category) {
        kafka.send(ExtractionConsumer.CHANNEL, id, extraction(id, total, date, vendor, category, false));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages(id).contains("WRITTEN"));
    }

    /** Publishes a change as the ingest does and returns its id. */
    static String change(String receiptId, String action, String fields) {
        String id = "c-" + UUID.randomUUID();
        kafka.send(CorrectionConsumer.CHANNEL, receiptId, """
                {"correctionId":"%s","receiptId":"%s","owner":"%s","by":"%s","at":"%s","action":"%s"%s}"""
                .formatted(id, receiptId, OWNER, OWNER, java.time.Instant.now(), action, fields.isEmpty() ? "" : "," + fields));
        return id;
    }

    /** The receipt's history entry for a change, once the sink settled it. */
    static JsonPath settled(String receiptId, String correctionId) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> detail(receiptId),
                d -> d.getList("history.findAll { it.correctionId == '" + correctionId + "' }").size() == 1);
    }

    static JsonPath detail(String receiptId) {
        return given().queryParam("owner", OWNER).when().get("/api/receipts/" + receiptId).then().statusCode(200).extract().jsonPath();
    }

    static String outcome(JsonPath d, String correctionId) {
        return d.getString("history.find { it.correctionId == '" + correctionId + "' }.outcome");
    }

    static String sentence(JsonPath d, String correctionId) {
        return d.getString("history.find { it.correctionId == '" + correctionId + "' }.detail");
    }

    @Test
    void aCorrectedTotalChangesTheRowInPlaceTheExportAndTheDedupeKey() {
        written("r-fix-1", "12.00", "2025-09-10", "Fixer Cafe", "Food & Restaurants");
        assertThat(fake().formattedRows(SHEET, "September 2025")).containsExactly(HEADER,
                List.of("12.00", "9/10/2025", "", "Fixer Cafe", "Food & Restaurants"));

        String c = change("r-fix-1", "CORRECT", "\"amount\":\"15.00\"");

        JsonPath d = settled("r-fix-1", c);
        assertThat(outcome(d, c)).isEqualTo("APPLIED");
        assertThat(sentence(d, c)).isEqualTo("corrected in September 2025, row 2");
        assertThat(d.getString("history[0].before.amount")).isEqualTo("12.00");
        assertThat(d.getString("history[0].after.amount")).isEqualTo("15.00");
        assertThat(d.getString("history[0].by")).isEqualTo(OWNER);
        assertThat(d.getString("receipt.amount")).isEqualTo("15.00");
        assertThat(fake().formattedRows(SHEET, "September 2025")).containsExactly(HEADER,
                List.of("15.00", "9/10/2025", "", "Fixer Cafe", "Food & Restaurants"));
        assertThat(given().queryParam("owner", OWNER).queryParam("month", "2025-09").queryParam("format", "tsv")
                .when().get("/api/receipts").then().statusCode(200).extract().asString())
                .isEqualTo("Amount\tDate\t\tVendor\tCategory\n15.00\t9/10/2025\t\tFixer Cafe\tFood & Restaurants\n");

        // The key followed: the corrected values are taken, the old ones are free again
        kafka.send(ExtractionConsumer.CHANNEL, "r-fix-1b", extraction("r-fix-1b", "15.00", "2025-09-10", "Fixer Cafe", "Other", false));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-fix-1b").contains("DUPLICATE"));
        written("r-fix-1c", "12.00", "2025-09-10", "Fixer Cafe", "Other");
        assertThat(fake().formattedRows(SHEET, "September 2025")).hasSize(3);
    }

    static String rereadOf(String extraction, String rereadId) {
        return extraction.replace("\"review\":false", "\"review\":false,\"rereadId\":\"" + rereadId + "\"")
                .replace("2026-11-28T22:00:04Z", java.time.Instant.now().toString());
    }

    @Test
    void aRereadOfAWrittenReceiptIsOfferedBesideItAndTheOwnerKeepsEither() {
        written("r-fix-20", "8.00", "2024-03-10", "Reread Cafe", "Food & Restaurants");

        // When a re-read reads another total
        kafka.send(ExtractionConsumer.CHANNEL, OWNER, rereadOf(extraction("r-fix-20", "9.50", "2024-03-10", "Reread Cafe",
                "Food & Restaurants", false), "rr-fix-20"));

        // Then the new values wait beside the old ones; the sheet is untouched
        JsonPath d = settled("r-fix-20", "rr-fix-20");
        assertThat(outcome(d, "rr-fix-20")).isEqualTo("OFFERED");
        assertThat(d.getString("receipt.amount")).isEqualTo("8.00");
        assertThat(d.getString("receipt.reread.after.amount")).isEqualTo("9.50");
        assertThat(fake().formattedRows(SHEET, "March 2024")).containsExactly(HEADER,
                List.of("8.00", "3/10/2024", "", "Reread Cafe", "Food & Restaurants"));

        // When the owner keeps the old values, the offer closes and nothing changes
        String keepOld = change("r-fix-20", "DISMISS", "\"rereadId\":\"rr-fix-20\"");
        d = settled("r-fix-20", keepOld);
        assertThat(outcome(d, keepOld)).isEqualTo("APPLIED");
        assertThat(d.getString("receipt.reread")).isNull();
        assertThat(d.getString("receipt.amount")).isEqualTo("8.00");

        // When it is read again and the owner keeps the new values (a correction with them), the row changes in place
        kafka.send(ExtractionConsumer.CHANNEL, OWNER, rereadOf(extraction("r-fix-20", "9.50", "2024-03-10", "Reread Cafe",
                "Food & Restaurants", false), "rr-fix-20b"));
        assertThat(outcome(settled("r-fix-20", "rr-fix-20b"), "rr-fix-20b")).isEqualTo("OFFERED");
        String keepNew = change("r-fix-20", "CORRECT", "\"amount\":\"9.50\"");
        d = settled("r-fix-20", keepNew);
        assertThat(outcome(d, keepNew)).isEqualTo("APPLIED");
        assertThat(d.getString("receipt.reread")).isNull();
        assertThat(fake().formattedRows(SHEET, "March 2024")).containsExactly(HEADER,
                List.of("9.50", "3/10/2024", "", "Reread Cafe", "Food & Restaurants"));
        // A dismissal with nothing to dismiss is refused
        String late = change("r-fix-20", "DISMISS", "\"rereadId\":\"rr-fix-20b\"");
        assertThat(outcome(settled("r-fix-20", late), late)).isEqualTo("REFUSED");
    }

    @Test
    void aFailedReceiptIsListedAndItsRereadWritesItOnceToOneTerminalStage() {
        // Given a receipt the extractor could not read
        String failed = """
                {"receiptId":"r-fix-21","batchId":"b-fix","owner":"%s","fileName":"r-fix-21.jpg","sha256":"00","outcome":"FAILED",
                 "reason":"The model provider refused the key.","receipt":null,"checks":{"arithmetic":"UNKNOWN","dateRetried":false},
                 "model":"none","promptVersion":"1","attempts":0,"extractedAt":"2026-11-28T22:00:04Z"}""".formatted(OWNER);
        kafka.send(ExtractionConsumer.CHANNEL, OWNER, failed);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().queryParam("owner", OWNER).queryParam("state", "FAILED")
                .when().get("/api/receipts").then().statusCode(200).extract().jsonPath().getList("receiptId").contains("r-fix-21"));

        // When the owner's re-read reads it, delivered twice
        String again = rereadOf(extraction("r-fix-21", "21.00", "2024-04-01", "Reread Shop", "Groceries", false), "rr-fix-21");
        kafka.send(ExtractionConsumer.CHANNEL, OWNER, again);
        kafka.send(ExtractionConsumer.CHANNEL, OWNER, again);

        // Then it is written once, ends WRITTEN, and the history says it was read again
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-fix-21").stream().filter("WRITTEN"::equals).count() == 2);
        assertThat(kafka.stages("r-fix-21")).containsExactly("WRITING", "WRITTEN", "WRITTEN");
        assertThat(fake().formattedRows(SHEET, "April 2024")).containsExactly(HEADER,
                List.of("21.00", "4/1/2024", "", "Reread Shop", "Groceries"));
        JsonPath d = detail("r-fix-21");
        assertThat(d.getString("receipt.state")).isEqualTo("WRITTEN");
        assertThat(d.getString("history[0].action")).isEqualTo("REREAD");
        assertThat(d.getString("history[0].correctionId")).isEqualTo("rr-fix-21");
    }

    @Test
    void aNewDateMovesTheRowToItsMonthTabOnceAndTheRowsBelowMoveUp() {
        written("r-fix-2", "30.00", "2025-10-03", "Mover One", "Groceries");
        written("r-fix-3", "40.00", "2025-10-04", "Mover Two", "Groceries");

        String c = change("r-fix-2", "CORRECT", "\"date\":\"2025-11-05\"");

        JsonPath d = settled("r-fix-2", c);
        assertThat(sentence(d, c)).isEqualTo("moved to November 2025, row 2");
        assertThat(fake().formattedRows(SHEET, "October 2025")).containsExactly(HEADER,
                List.of("40.00", "10/4/2025", "", "Mover Two", "Groceries"));
        assertThat(fake().formattedRows(SHEET, "November 2025")).containsExactly(HEADER,
                List.of("30.00", "11/5/2025", "", "Mover One", "Groceries"));
        assertThat(d.getString("receipt.tab")).isEqualTo("November 2025");
        assertThat(d.getInt("receipt.row")).isEqualTo(2);
        // The receipt below the one that left now sits one row higher, in the ledger too
        await().atMost(Duration.ofSeconds(30)).until(() -> detail("r-fix-3").getInt("receipt.row") == 2);
        assertThat(given().queryParam("owner", OWNER).queryParam("month", "2025-11").when().get("/api/receipts")
                .then().statusCode(200).extract().jsonPath().getList("receiptId")).containsExactly("r-fix-2");
    }

    @Test
    void aRowEditedByHandIsLeftAloneAndTheOwnerIsToldWhy() {
        written("r-fix-4", "8.00", "2025-12-01", "Hand Edited", "Other");
        fake().typeCell(SHEET, "December 2025", 2, 0, "9.00");

        String c = change("r-fix-4", "CORRECT", "\"amount\":\"10.00\"");

        JsonPath d = settled("r-fix-4", c);
        assertThat(outcome(d, c)).isEqualTo("REFUSED");
        assertThat(sentence(d, c)).startsWith("Row 2 of December 2025 no longer shows what the ledger recorded (8.00, 12/1/2025, Hand Edited)")
                .endsWith("Nothing was changed.");
        assertThat(fake().formattedRows(SHEET, "December 2025").get(1)).containsExactly("9", "12/1/2025", "", "Hand Edited", "Other");
        assertThat(d.getString("receipt.amount")).isEqualTo("8.00");
    }

    @Test
    void badValuesAreRefusedWithASentenceAndChangeNothing() {
        written("r-fix-5", "5.00", "2025-08-01", "Strict Shop", "Other");
        String tomorrowPlusOne = LocalDate.now().plusDays(2).toString();

        String future = change("r-fix-5", "CORRECT", "\"date\":\"" + tomorrowPlusOne + "\"");
        String notANumber = change("r-fix-5", "CORRECT", "\"amount\":\"twelve\"");
        String snacks = change("r-fix-5", "CORRECT", "\"categories\":[\"Snacks\"]");

        JsonPath d = settled("r-fix-5", snacks);
        assertThat(sentence(d, future)).isEqualTo("The date " + tomorrowPlusOne + " is in the future; a receipt's date is today or earlier. Nothing was changed.");
        assertThat(sentence(d, notANumber)).isEqualTo("The amount \"twelve\" is not a number; write it like 25.50. Nothing was changed.");
        assertThat(sentence(d, snacks)).startsWith("\"Snacks\" is not a category. Choose from: Food & Restaurants, Groceries");
        assertThat(d.getList("history.outcome")).containsOnly("REFUSED");
        assertThat(fake().formattedRows(SHEET, "August 2025")).containsExactly(HEADER, List.of("5.00", "8/1/2025", "", "Strict Shop", "Other"));
    }

    @Test
    void aDeletedReceiptLeavesSheetAndListingAndUndoBringsItBack() {
        written("r-fix-6", "70.00", "2025-07-01", "Gone Soon", "Travel");
        written("r-fix-7", "71.00", "2025-07-02", "Stays", "Travel");

        String del = change("r-fix-6", "DELETE", "");

        JsonPath d = settled("r-fix-6", del);
        assertThat(sentence(d, del)).isEqualTo("deleted from July 2025, row 2");
        assertThat(d.getString("receipt.state")).isEqualTo("DELETED");
        assertThat(fake().formattedRows(SHEET, "July 2025")).containsExactly(HEADER, List.of("71.00", "7/2/2025", "", "Stays", "Travel"));
        assertThat(given().queryParam("owner", OWNER).queryParam("month", "2025-07").when().get("/api/receipts")
                .then().extract().jsonPath().getList("receiptId")).containsExactly("r-fix-7");

        String undo = change("r-fix-6", "UNDO", "\"undoes\":\"" + del + "\"");

        JsonPath back = settled("r-fix-6", undo);
        assertThat(sentence(back, undo)).isEqualTo("restored to July 2025, row 3");
        assertThat(fake().formattedRows(SHEET, "July 2025")).containsExactly(HEADER, List.of("71.00", "7/2/2025", "", "Stays", "Travel"),
                List.of("70.00", "7/1/2025", "", "Gone Soon", "Travel"));
        assertThat(given().queryParam("owner", OWNER).queryParam("month", "2025-07").when().get("/api/receipts")
                .then().extract().jsonPath().getList("receiptId")).containsExactlyInAnyOrder("r-fix-6", "r-fix-7");
    }

    @Test
    void twoCorrectionsAtOnceEndInOneConsistentRowAndARedeliveryChangesNothing() {
        written("r-fix-8", "20.00", "2025-06-01", "Racer", "Other");

        String first = change("r-fix-8", "CORRECT", "\"amount\":\"21.00\"");
        String second = change("r-fix-8", "CORRECT", "\"amount\":\"22.00\",\"vendor\":\"Racer Two\"");
        settled("r-fix-8", second);
        String again = """
                {"correctionId":"%s","receiptId":"r-fix-8","owner":"%s","by":"%s","at":"2026-11-30T10:00:00Z","action":"CORRECT","amount":"21.00"}"""
                .formatted(first, OWNER, OWNER);
        kafka.send(CorrectionConsumer.CHANNEL, "r-fix-8", again);
        String marker = change("r-fix-8", "CORRECT", "\"categories\":[\"Groceries\"]");

        JsonPath d = settled("r-fix-8", marker);
        assertThat(d.getList("history.correctionId")).containsExactly(first, second, marker);
        assertThat(fake().formattedRows(SHEET, "June 2025")).containsExactly(HEADER, List.of("22.00", "6/1/2025", "", "Racer Two", "Groceries"));
        assertThat(d.getString("receipt.amount")).isEqualTo("22.00");
        assertThat(d.getString("receipt.vendor")).isEqualTo("Racer Two");
    }

    @Test
    void aReceiptHeldForReviewIsWrittenOnlyOnceAcceptedWithItsCorrection() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-fix-9", extraction("r-fix-9", "9.00", "2025-05-05", "Reviewed", "Other", true));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-fix-9").contains("REVIEW"));
        assertThat(fake().tabs(SHEET)).doesNotContain("May 2025");
        assertThat(given().queryParam("owner", OWNER).queryParam("state", "REVIEW").when().get("/api/receipts")
                .then().statusCode(200).extract().jsonPath().getList("receiptId")).contains("r-fix-9");

        String accept = change("r-fix-9", "ACCEPT", "\"amount\":\"9.50\"");

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-fix-9").contains("WRITTEN"));
        assertThat(kafka.stages("r-fix-9")).containsExactly("REVIEW", "WRITING", "WRITTEN");
        assertThat(fake().formattedRows(SHEET, "May 2025")).containsExactly(HEADER, List.of("9.50", "5/5/2025", "", "Reviewed", "Other"));
        JsonPath d = detail("r-fix-9");
        assertThat(outcome(d, accept)).isEqualTo("APPLIED");
        assertThat(d.getString("receipt.state")).isEqualTo("WRITTEN");
    }

    @Test
    void anotherOwnersReceiptIsUnknownAndTheirChangesAreIgnored() {
        written("r-fix-10", "3.00", "2025-04-04", "Private", "Other");

        given().queryParam("owner", "someone-else").when().get("/api/receipts/r-fix-10").then().statusCode(404)
                .contentType("application/problem+json");
        given().queryParam("owner", OWNER).when().get("/api/receipts/r-nobody").then().statusCode(404);
        kafka.send(CorrectionConsumer.CHANNEL, "r-fix-10", """
                {"correctionId":"c-intruder","receiptId":"r-fix-10","owner":"someone-else","by":"someone-else","action":"DELETE"}""");
        String marker = change("r-fix-10", "CORRECT", "\"vendor\":\"Private Shop\"");

        JsonPath d = settled("r-fix-10", marker);
        assertThat(d.getList("history.correctionId")).containsExactly(marker);
        assertThat(fake().formattedRows(SHEET, "April 2025")).containsExactly(HEADER, List.of("3.00", "4/4/2025", "", "Private Shop", "Other"));
    }
}
