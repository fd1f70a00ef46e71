package io.receiptranger.sheets;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * Bring your own sheet, the sink's side (CONTRACT §4, {@code POST /internal/spreadsheets/check}): the
 * real Google Sheets client opens a user's spreadsheet on the fake Sheets server and answers its title,
 * or the sentence the page shows word for word — share it with the service account as Editor.
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(FakeSheetsResource.class)
class SpreadsheetCheckIT {

    static final String SHARED = "1ByoSharedSheetAbCdEfGhIjKlMn";
    static final String PRIVATE = "1ByoPrivateSheetAbCdEfGhIjKlM";
    static final String MISSING = "1ByoNoSuchSheetAbCdEfGhIjKlMn";
    static final String EMAIL = FakeSheetsResource.EMAIL;

    static String check(String owner, String id) {
        return "{\"owner\":\"" + owner + "\",\"spreadsheetId\":\"" + id + "\"}";
    }

    @Test
    void aSpreadsheetSharedWithTheServiceAccountIsOpenedAndNamed() {
        FakeSheetsResource.fake().createSpreadsheet(SHARED, "Alice's receipts");

        given().contentType("application/json").body(check("alice@example.com", SHARED)).post("/internal/spreadsheets/check")
                .then().statusCode(200).body("spreadsheetId", equalTo(SHARED)).body("title", equalTo("Alice's receipts"))
                .body("serviceAccount", equalTo(EMAIL));
    }

    @Test
    void aSpreadsheetNotSharedSaysWhomToShareItWithAsEditor() {
        FakeSheetsResource.fake().createSpreadsheet(PRIVATE);
        FakeSheetsResource.fake().denyAccess(PRIVATE);

        given().contentType("application/json").body(check("alice@example.com", PRIVATE)).post("/internal/spreadsheets/check")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", equalTo("Receipt Ranger cannot open this spreadsheet: share it with " + EMAIL + " as Editor"
                        + " (Share, add " + EMAIL + ", Editor), then connect it again."));
        given().contentType("application/json").body(check("alice@example.com", MISSING)).post("/internal/spreadsheets/check")
                .then().statusCode(422).body("detail", containsString("share the spreadsheet with " + EMAIL + " as Editor"));
    }

    @Test
    void somethingThatIsNotAnIdIs400AndTheServiceAccountIsNamed() {
        given().contentType("application/json").body(check("alice@example.com", "my receipts")).post("/internal/spreadsheets/check")
                .then().statusCode(400).body("detail", containsString("not a spreadsheet id"));
        given().get("/internal/spreadsheets/service-account").then().statusCode(200).body("email", equalTo(EMAIL));
    }
}
