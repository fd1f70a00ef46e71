package io.receiptranger.sheets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.receiptranger.sheets.messaging.ExtractionConsumer;

/** The sink on a real Kafka broker, writing with the real Google client to the fake Sheets server. */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(FakeSheetsResource.class)
class SheetsSinkIT {

    static final String SHEET = FakeSheetsResource.SPREADSHEET;
    static KafkaProbe kafka;

    @BeforeAll
    static void connect() {
        kafka = new KafkaProbe(ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    static FakeSheets fake() {
        return FakeSheetsResource.fake();
    }

    static String extraction(String id, String outcome, String total, String date, String vendor, String category) {
        String receipt = total == null ? "null" : """
                {"total":"%s","subtotal":null,"tax":null,"tip":null,"currency":"USD","date":%s,"vendor":"%s",
                 "categories":["%s"],"paymentMethods":["Card"],"cardLast4":null}""".formatted(total, date == null ? "null" : "\"" + date + "\"", vendor, category);
        return """
                {"receiptId":"%s","batchId":"b-it","owner":"default","fileName":"%s.jpg","sha256":"00","outcome":"%s","reason":"",
                 "receipt":%s,"checks":{"arithmetic":"OK","dateRetried":false},"model":"gpt-5-mini","promptVersion":"1","attempts":1,
                 "extractedAt":"2026-11-28T22:00:04Z","somethingNew":42}""".formatted(id, id, outcome, receipt);
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
        String tsv = given().queryParam("format", "tsv").queryParam("month", "2026-01")
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
        given().queryParam("month", "2026-03").when().get("/api/receipts").then().statusCode(200)
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
    void badFiltersAreExplainedNotFailed() {
        given().queryParam("month", "January").when().get("/api/receipts").then().statusCode(400)
                .contentType("application/problem+json").body("detail", org.hamcrest.Matchers.containsString("2026-01"));
        given().queryParam("category", "Snacks").when().get("/api/receipts").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.startsWith("Invalid category: Snacks. Choose from: Food & Restaurants"));
    }
}
