package io.receiptranger.sheets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.receiptranger.sheets.messaging.ExtractionConsumer;

/** The sink on a real Kafka broker, writing with the real Google client to the fake Sheets server. */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(FakeSheetsResource.class)
class SheetsSinkIT extends SinkOnTheBroker {

    static final String SHEET = FakeSheetsResource.SPREADSHEET;

    static String extraction(String id, String outcome, String total, String date, String vendor, String category) {
        return extraction(id, "default", outcome, total, date, vendor, category);
    }

    static String extraction(String id, String owner, String outcome, String total, String date, String vendor, String category) {
        String receipt = total == null ? "null" : """
                {"total":"%s","subtotal":null,"tax":null,"tip":null,"currency":"USD","date":%s,"vendor":"%s",
                 "categories":["%s"],"paymentMethods":["Card"],"cardLast4":null}""".formatted(total, date == null ? "null" : "\"" + date + "\"", vendor, category);
        return """
                {"receiptId":"%s","batchId":"b-it","owner":"%s","fileName":"%s.jpg","sha256":"00","outcome":"%s","reason":"",
                 "receipt":%s,"checks":{"arithmetic":"OK","dateRetried":false},"model":"gpt-5-mini","promptVersion":"1","attempts":1,
                 "extractedAt":"2026-11-28T22:00:04Z","somethingNew":42}""".formatted(id, owner, id, outcome, receipt);
    }

    @Test
    void anExtractionBecomesARowAStatusAndALedgerLine() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-1", extraction("r-it-1", "EXTRACTED", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-1").contains("WRITTEN"));
        assertThat(kafka.stages("r-it-1")).containsExactly("WRITING", "WRITTEN");
        JsonNode written = kafka.statuses("r-it-1").get(1);
        assertThat(written.path("service").asText()).isEqualTo("sheets-sink");
        assertThat(written.path("batchId").asText()).isEqualTo("b-it");
        assertThat(written.path("detail").asText()).isEqualTo("added to January 2026, row 2");
        assertThat(fake().formattedRows(SHEET, "January 2026")).containsExactly(
                List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("25.50", "1/20/2026", "", "Taco Cabana", "Food & Restaurants"));
        assertThat(kafka.read("sheets-ledger")).anySatisfy(e -> {
            assertThat(e.path("receiptId").asText()).isEqualTo("r-it-1");
            assertThat(e.path("state").asText()).isEqualTo("WRITTEN");
        });
        String tsv = given().queryParam("owner", "default").queryParam("format", "tsv").queryParam("month", "2026-01")
                .when().get("/api/receipts").then().statusCode(200).extract().asString();
        assertThat(tsv).isEqualTo("Amount\tDate\t\tVendor\tCategory\n25.50\t1/20/2026\t\tTaco Cabana\tFood & Restaurants\n");
    }

    @Test
    void theSameReceiptTwiceIsOneRow() {
        String record = extraction("r-it-2", "EXTRACTED", "12.00", "2026-02-03", "Corner Shop", "Groceries");

        kafka.send(ExtractionConsumer.CHANNEL, "r-it-2", record);
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-2").contains("WRITTEN"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-2", record);

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-2").size() == 3);
        assertThat(kafka.stages("r-it-2")).containsExactly("WRITING", "WRITTEN", "WRITTEN");
        assertThat(fake().formattedRows(SHEET, "February 2026")).hasSize(2);
    }

    @Test
    void aDifferentReceiptWithTheSameDateAmountAndVendorIsADuplicate() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-3", extraction("r-it-3", "EXTRACTED", "7.5", "2026-03-03", "Bakery", "Food & Restaurants"));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-3").contains("WRITTEN"));

        kafka.send(ExtractionConsumer.CHANNEL, "r-it-4", extraction("r-it-4", "EXTRACTED", "7.50", "2026-03-03", " BAKERY ", "Food & Restaurants"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-4").contains("DUPLICATE"));
        assertThat(kafka.statuses("r-it-4").get(1).path("detail").asText()).isEqualTo("already in March 2026, row 2");
        assertThat(fake().formattedRows(SHEET, "March 2026")).hasSize(2);
        given().queryParam("owner", "default").queryParam("month", "2026-03").when().get("/api/receipts").then().statusCode(200)
                .body("receiptId", org.hamcrest.Matchers.contains("r-it-3"));
    }

    @Test
    void aRecordThatIsNotAnExtractionIsDeadLetteredAndTheNextOneStillFlows() {
        kafka.send(ExtractionConsumer.CHANNEL, "junk", "{not json");
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-5", extraction("r-it-5", "EXTRACTED", "3.00", "2026-04-01", "Kiosk", "Other"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-5").contains("WRITTEN"));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.read("extractions-dlq").stream()
                .anyMatch(n -> n.isTextual() && n.asText().equals("{not json")));
    }

    @Test
    void anAmountWithAnExponentFailsThatReceiptAloneWithAReason() {
        // Given, in one poll, an amount no receipt has and a good record behind it
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-exp", extraction("r-it-exp", "EXTRACTED", "1e999999999", "2026-04-02",
                "Kiosk", "Other"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-6", extraction("r-it-6", "EXTRACTED", "4.00", "2026-04-02", "Kiosk 2", "Other"));

        // Then the good one is written, the bad one ends FAILED saying why and is dead-lettered
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-6").contains("WRITTEN"));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.stages("r-it-exp").contains("FAILED"));
        assertThat(kafka.statuses("r-it-exp").get(0).path("detail").asText())
                .contains("its total \"1e999999999\" is not a plain decimal amount");
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.read("extractions-dlq").stream()
                .anyMatch(n -> n.toString().contains("\"r-it-exp\"")));
    }

    @Test
    void aMalformedExtractionWhoseReceiptIdIsReadableEndsThatReceiptFailed() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-bad", """
                {"receiptId":"r-it-bad","batchId":"b-it","outcome":"EXTRACTED","receipt":{"categories":"not a list"}}""");

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-bad").contains("FAILED"));
        assertThat(kafka.statuses("r-it-bad").get(0).path("batchId").asText()).isEqualTo("b-it");
        assertThat(kafka.statuses("r-it-bad").get(0).path("detail").asText()).startsWith("the extraction could not be used");
    }

    @Test
    void aSpreadsheetNotSharedWithTheServiceAccountFailsClearlyAndShowsInTheDependenciesHealth() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-locked", extraction("r-it-locked", "locked", "EXTRACTED", "5.00", "2026-06-01", "Shop", "Other"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-locked").contains("FAILED"));
        List<JsonNode> statuses = kafka.statuses("r-it-locked");
        assertThat(statuses.get(statuses.size() - 1).path("detail").asText())
                .contains("share the spreadsheet with " + FakeSheetsResource.EMAIL);
        given().when().get("/q/health/group/dependencies").then().statusCode(503)
                .body("checks.find { it.name == 'google-sheets' }.status", org.hamcrest.Matchers.equalTo("DOWN"))
                .body("checks.find { it.name == 'google-sheets' }.data.problem",
                        org.hamcrest.Matchers.containsString("share the spreadsheet with " + FakeSheetsResource.EMAIL));
        given().when().get("/q/metrics").then().statusCode(200).body(org.hamcrest.Matchers.containsString("ranger_sheets_up 0.0"));
        given().when().get("/q/health/ready").then().statusCode(200);
        given().when().get("/q/health/live").then().statusCode(200);
        assertThat(fake().writeRequests()).isPositive();
    }

    @Test
    void a429StormIsWaitedOutWithoutFlippingHealthAndEveryRowLandsOnce() {
        // Given Google answers 429 to the next 12 writes and 503 to the next 3 reads
        fake().failNextWrites(12, 429);
        fake().failNextReads(3, 503);

        // When 30 receipts arrive
        for (int i = 1; i <= 30; i++) {
            kafka.send(ExtractionConsumer.CHANNEL, "r-storm-" + i,
                    extraction("r-storm-" + i, "storm", "EXTRACTED", i + ".00", "2026-07-" + String.format("%02d", i), "Storm Vendor " + i, "Other"));
        }

        // Then the service stays ready and live while it backs off, and every row lands once
        await().atMost(Duration.ofSeconds(90)).ignoreExceptionsInstanceOf(IllegalArgumentException.class).untilAsserted(() -> {
            given().when().get("/q/health/ready").then().statusCode(200);
            given().when().get("/q/health/live").then().statusCode(200);
            assertThat(fake().formattedRows(FakeSheetsResource.STORM, "July 2026")).hasSize(31);
        });
        List<String> vendors = fake().formattedRows(FakeSheetsResource.STORM, "July 2026").stream().skip(1).map(r -> r.get(3)).toList();
        assertThat(vendors).doesNotHaveDuplicates().hasSize(30);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.read("receipt-status").stream()
                .filter(n -> n.path("receiptId").asText().startsWith("r-storm-") && n.path("stage").asText().equals("WRITTEN")).count() == 30);
        given().when().get("/q/metrics").then().body(org.hamcrest.Matchers.containsString("ranger_sheets_retries_total"));
    }

    @Test
    void formulasArriveAsTextAndExportsNeutraliseThem() {
        String vendor = "=HYPERLINK(\\\"http://x\\\",\\\"y\\\")";
        kafka.send(ExtractionConsumer.CHANNEL, "r-it-formula", extraction("r-it-formula", "EXTRACTED", "2.00", "2026-08-08", vendor, "Other"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-it-formula").contains("WRITTEN"));
        var cell = fake().cells(SHEET, "August 2026").get(1).get(3);
        assertThat(cell.kind()).isEqualTo("STRING");
        assertThat(cell.value()).isEqualTo("=HYPERLINK(\"http://x\",\"y\")");
        String tsv = given().queryParam("owner", "default").queryParam("format", "tsv").queryParam("month", "2026-08").when().get("/api/receipts").then().extract().asString();
        assertThat(tsv.lines().skip(1)).containsExactly("2.00\t8/8/2026\t\t'=HYPERLINK(\"http://x\",\"y\")\tOther");
    }

    @Test
    void theMonthSummaryTotalsByCategory() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-sum-1", extraction("r-sum-1", "EXTRACTED", "10.00", "2026-05-01", "Grocer", "Groceries"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-sum-2", extraction("r-sum-2", "EXTRACTED", "5.25", "2026-05-02", "Grocer Two", "Groceries"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-sum-3", extraction("r-sum-3", "EXTRACTED", "20.00", "2026-05-03", "Diner", "Food & Restaurants"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-sum-4", extraction("r-sum-4", "EXCLUDED", "99.00", "2026-05-04", "Hidden", "Other"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-sum-3").contains("WRITTEN") && kafka.stages("r-sum-2").contains("WRITTEN"));
        given().queryParam("owner", "default").queryParam("month", "2026-05").when().get("/api/summary").then().statusCode(200)
                .body("month", org.hamcrest.Matchers.equalTo("2026-05"))
                .body("count", org.hamcrest.Matchers.equalTo(3))
                .body("total", org.hamcrest.Matchers.equalTo("35.25"))
                .body("byCategory.category", org.hamcrest.Matchers.contains("Food & Restaurants", "Groceries"))
                .body("byCategory.total", org.hamcrest.Matchers.contains("20.00", "15.25"));
        given().queryParam("owner", "default").queryParam("month", "2026-05").queryParam("format", "csv").when().get("/api/receipts").then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv"))
                .body(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("Hidden")));
        given().queryParam("owner", "default").when().get("/api/summary").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void theLedgerAnswersForTheNamedOwnerOnlyAndNeverForNobody() {
        kafka.send(ExtractionConsumer.CHANNEL, "r-own-a", extraction("r-own-a", "alice@example.com", "EXTRACTED", "12.00", "2026-06-01", "Alices Cafe", "Food & Restaurants"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-own-b", extraction("r-own-b", "bob@example.com", "EXTRACTED", "34.00", "2026-06-02", "Bobs Books", "Other"));

        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-own-a").contains("WRITTEN") && kafka.stages("r-own-b").contains("WRITTEN"));
        given().queryParam("owner", "bob@example.com").queryParam("month", "2026-06").when().get("/api/receipts").then().statusCode(200)
                .body("receiptId", org.hamcrest.Matchers.contains("r-own-b"))
                .body("owner", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.equalTo("bob@example.com")));
        given().queryParam("owner", "bob@example.com").queryParam("month", "2026-06").when().get("/api/summary").then().statusCode(200)
                .body("count", org.hamcrest.Matchers.equalTo(1)).body("total", org.hamcrest.Matchers.equalTo("34.00"));
        given().queryParam("month", "2026-06").when().get("/api/receipts").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("owner is required"));
        given().queryParam("month", "2026-06").when().get("/api/summary").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("owner is required"));
    }

    @Test
    void theOwnersLedgerTellsWhichPhotosItAlreadyHasAndWhatWasADuplicate() {
        String photo = "1f".repeat(32);
        String cat = "2e".repeat(32);
        String again = "3d".repeat(32);
        kafka.send(ExtractionConsumer.CHANNEL, "r-hash-1", extraction("r-hash-1", "hashes", "EXTRACTED", "6.00", "2026-09-01", "Bakery", "Other")
                .replace("\"sha256\":\"00\"", "\"sha256\":\"" + photo + "\""));
        kafka.send(ExtractionConsumer.CHANNEL, "r-hash-2", extraction("r-hash-2", "hashes", "NOT_A_RECEIPT", null, null, null, null)
                .replace("\"sha256\":\"00\"", "\"sha256\":\"" + cat + "\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-hash-1").contains("WRITTEN"));
        kafka.send(ExtractionConsumer.CHANNEL, "r-hash-3", extraction("r-hash-3", "hashes", "EXTRACTED", "6.0", "2026-09-01", "BAKERY", "Other")
                .replace("\"sha256\":\"00\"", "\"sha256\":\"" + again + "\""));
        await().atMost(Duration.ofSeconds(60)).until(() -> kafka.stages("r-hash-3").contains("DUPLICATE"));

        String body = "{\"sha256\":[\"" + photo + "\",\"" + cat.toUpperCase() + "\",\"" + "4c".repeat(32) + "\"]}";
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().contentType("application/json").body(body)
                .queryParam("owner", "hashes").when().post("/api/receipts/lookup").then().statusCode(200)
                .body("found.sha256", org.hamcrest.Matchers.contains(photo, cat))
                .body("found.state", org.hamcrest.Matchers.contains("WRITTEN", "NOT_A_RECEIPT")));
        given().contentType("application/json").body(body).queryParam("owner", "someone-else").when().post("/api/receipts/lookup")
                .then().statusCode(200).body("found", org.hamcrest.Matchers.empty());
        given().contentType("application/json").body(body).when().post("/api/receipts/lookup").then().statusCode(400)
                .contentType("application/problem+json");
        given().contentType("application/json").body("{\"sha256\":[\"not-a-hash\"]}").queryParam("owner", "hashes")
                .when().post("/api/receipts/lookup").then().statusCode(400).body("detail", org.hamcrest.Matchers.startsWith("each sha256"));
        given().queryParam("owner", "hashes").when().get("/api/duplicates").then().statusCode(200)
                .body("receiptId", org.hamcrest.Matchers.contains("r-hash-3"))
                .body("duplicateOf.receiptId", org.hamcrest.Matchers.contains("r-hash-1"));
        given().queryParam("owner", "hashes").queryParam("month", "2026-09").when().get("/api/receipts").then().statusCode(200)
                .body("sha256", org.hamcrest.Matchers.contains(photo));
    }

    @Test
    void badFiltersAreExplainedNotFailed() {
        given().queryParam("owner", "default").queryParam("month", "January").when().get("/api/receipts").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("2026-01"));
        given().queryParam("owner", "default").queryParam("category", "Snacks").when().get("/api/receipts").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("Invalid category: Snacks. Choose from: Food & Restaurants"));
    }
}
