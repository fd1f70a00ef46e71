package io.receiptranger.fakesheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import com.google.api.services.sheets.v4.model.AddSheetRequest;
import com.google.api.services.sheets.v4.model.AppendCellsRequest;
import com.google.api.services.sheets.v4.model.BatchUpdateSpreadsheetRequest;
import com.google.api.services.sheets.v4.model.CellData;
import com.google.api.services.sheets.v4.model.CellFormat;
import com.google.api.services.sheets.v4.model.ExtendedValue;
import com.google.api.services.sheets.v4.model.NumberFormat;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.RowData;
import com.google.api.services.sheets.v4.model.SheetProperties;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.ServiceAccountCredentials;

/** Drives the fake with the real Google client and credentials, as the sink does. */
class FakeSheetsTest {

    private static final String ID = "sheet-1";
    private static final String EMAIL = "ranger@demo-project.iam.gserviceaccount.com";

    private FakeSheets fake;
    private Sheets sheets;

    @BeforeEach
    void start() throws Exception {
        fake = FakeSheets.start();
        fake.createSpreadsheet(ID);
        json = FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri());
        ServiceAccountCredentials credentials = (ServiceAccountCredentials) ServiceAccountCredentials
                .fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)))
                .createScoped(List.of(SheetsScopes.SPREADSHEETS));
        sheets = new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), new HttpCredentialsAdapter(credentials))
                .setRootUrl(fake.baseUrl() + "/")
                .setApplicationName("fake-sheets-test")
                .build();
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void serviceAccountTokenThenMetadata() throws Exception {
        var spreadsheet = sheets.spreadsheets().get(ID).execute();

        assertThat(spreadsheet.getSheets()).extracting(s -> s.getProperties().getTitle()).containsExactly("Sheet1");
        assertThat(spreadsheet.getSheets().get(0).getProperties().getIndex()).isZero();
        assertThat(fake.tokenRequests()).singleElement().asString()
                .contains(EMAIL).contains("https://www.googleapis.com/auth/spreadsheets");
    }

    @Test
    void aKeyWhoseSignatureDoesNotMatchOrARevokedKeyGetsNoToken() throws Exception {
        String other = FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri());
        // Same key id, another key: the signature cannot verify.
        String forged = other.replaceFirst("\"private_key_id\" : \"[0-9a-f]+\"", "\"private_key_id\" : \"" + keyId() + "\"");
        Sheets forgedClient = client(forged);
        assertThatThrownBy(() -> forgedClient.spreadsheets().get(ID).execute()).hasMessageContaining("invalid_grant");

        fake.rejectTokens(true);
        Sheets fresh = client(FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri()));
        assertThatThrownBy(() -> fresh.spreadsheets().get(ID).execute()).hasMessageContaining("invalid_grant");
    }

    private String json;

    private String keyId() {
        return json.replaceAll("(?s).*\"private_key_id\" : \"([0-9a-f]+)\".*", "$1");
    }

    private Sheets client(String serviceAccount) throws Exception {
        ServiceAccountCredentials credentials = (ServiceAccountCredentials) ServiceAccountCredentials
                .fromStream(new ByteArrayInputStream(serviceAccount.getBytes(StandardCharsets.UTF_8)))
                .createScoped(List.of(SheetsScopes.SPREADSHEETS));
        return new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), new HttpCredentialsAdapter(credentials))
                .setRootUrl(fake.baseUrl() + "/").setApplicationName("fake-sheets-test").build();
    }

    @Test
    void addSheetAndAppendCellsShowDatesAndNumbersAsAUserSeesThem() throws Exception {
        double serial = LocalDate.of(2026, 1, 20).toEpochDay() - LocalDate.of(1899, 12, 30).toEpochDay();
        var reply = sheets.spreadsheets().batchUpdate(ID, new BatchUpdateSpreadsheetRequest().setRequests(List.of(
                new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setTitle("January 2026").setSheetId(42))),
                new Request().setAppendCells(new AppendCellsRequest().setSheetId(42).setFields("userEnteredValue,userEnteredFormat.numberFormat")
                        .setRows(List.of(
                                row(text("Amount"), text("Date"), text(""), text("Vendor"), text("Category")),
                                row(number(25.5, null), number(serial, new NumberFormat().setType("DATE").setPattern("M/d/yyyy")),
                                        new CellData(), text("=HYPERLINK(\"http://x\",\"y\")"), text("Food & Restaurants")))))))).execute();

        assertThat(reply.getReplies().get(0).getAddSheet().getProperties().getSheetId()).isEqualTo(42);
        assertThat(fake.tabs(ID)).containsExactly("Sheet1", "January 2026");
        assertThat(fake.formattedRows(ID, "January 2026")).containsExactly(
                List.of("Amount", "Date", "", "Vendor", "Category"),
                List.of("25.5", "1/20/2026", "", "=HYPERLINK(\"http://x\",\"y\")", "Food & Restaurants"));
        ValueRange values = sheets.spreadsheets().values().get(ID, "'January 2026'!A:E").execute();
        assertThat(values.getValues().get(1)).containsExactly("25.5", "1/20/2026", "", "=HYPERLINK(\"http://x\",\"y\")", "Food & Restaurants");
        var batch = sheets.spreadsheets().values().batchGet(ID).setRanges(List.of("'January 2026'!A2:E", "Sheet1")).execute();
        assertThat(batch.getValueRanges().get(0).getValues()).hasSize(1);
        assertThat(batch.getValueRanges().get(1).getValues()).isNull();
        assertThat(fake.cells(ID, "January 2026").get(1).get(3).kind()).isEqualTo("STRING");
    }

    @Test
    void appendCellsWithoutTheFormatInTheFieldMaskLosesTheFormat() throws Exception {
        sheets.spreadsheets().batchUpdate(ID, new BatchUpdateSpreadsheetRequest().setRequests(List.of(
                new Request().setAppendCells(new AppendCellsRequest().setSheetId(0).setFields("userEnteredValue")
                        .setRows(List.of(row(number(46042, new NumberFormat().setType("DATE").setPattern("M/d/yyyy"))))))))).execute();

        assertThat(fake.formattedRows(ID, "Sheet1")).containsExactly(List.of("46042"));
    }

    @Test
    void valuesAppendRawKeepsTextAndUserEnteredParses() throws Exception {
        var raw = sheets.spreadsheets().values().append(ID, "Sheet1!A1", new ValueRange().setValues(List.of(List.of(25.5, "=1+1", "1/20/2026"))))
                .setValueInputOption("RAW").execute();
        sheets.spreadsheets().values().append(ID, "Sheet1!A1", new ValueRange().setValues(List.of(List.of("$1,234.50", "=1+1", "1/20/2026"))))
                .setValueInputOption("USER_ENTERED").execute();

        assertThat(raw.getUpdates().getUpdatedRange()).isEqualTo("Sheet1!A1:C1");
        assertThat(fake.formattedRows(ID, "Sheet1")).containsExactly(
                List.of("25.5", "=1+1", "1/20/2026"),
                List.of("$1,234.50", Formats.FORMULA_SHOWN, "1/20/2026"));
        assertThat(fake.cells(ID, "Sheet1").get(1).get(2).kind()).isEqualTo("NUMBER");
    }

    @Test
    void handTypedRowsParseLikeSheets() {
        fake.typeRow(ID, "January 2026", "Amount", "Date", "", "Vendor", "Category");
        fake.typeRow(ID, "January 2026", "25.50", "01/20/2026", "Graham", "Walmart", "Groceries");

        assertThat(fake.formattedRows(ID, "January 2026").get(1)).containsExactly("25.5", "1/20/2026", "Graham", "Walmart", "Groceries");
    }

    @Test
    void unknownSpreadsheetIs404AndDeniedIs403() {
        fake.denyAccess(ID);

        assertThatThrownBy(() -> sheets.spreadsheets().get("nope").execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(404));
        assertThatThrownBy(() -> sheets.spreadsheets().get(ID).execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(403);
                    assertThat(e.getDetails().getMessage()).isEqualTo("The caller does not have permission");
                });
    }

    @Test
    void injectedWriteFailuresAndQuotaLeaveTheSheetUntouched() throws Exception {
        fake.failNextWrites(1, 503);
        fake.limitWrites(1, Duration.ofMinutes(1));
        var append = new BatchUpdateSpreadsheetRequest().setRequests(List.of(new Request().setAppendCells(
                new AppendCellsRequest().setSheetId(0).setFields("userEnteredValue").setRows(List.of(row(text("x")))))));

        assertThatThrownBy(() -> sheets.spreadsheets().batchUpdate(ID, append).execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(503));
        sheets.spreadsheets().batchUpdate(ID, append).execute();
        assertThatThrownBy(() -> sheets.spreadsheets().batchUpdate(ID, append).execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(429));
        assertThat(fake.formattedRows(ID, "Sheet1")).containsExactly(List.of("x"));
        assertThat(fake.writeRequests()).isEqualTo(3);
    }

    @Test
    void aFailingRequestInABatchAppliesNothing() {
        var batch = new BatchUpdateSpreadsheetRequest().setRequests(List.of(
                new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setTitle("New"))),
                new Request().setAddSheet(new AddSheetRequest().setProperties(new SheetProperties().setTitle("Sheet1")))));

        assertThatThrownBy(() -> sheets.spreadsheets().batchUpdate(ID, batch).execute())
                .isInstanceOfSatisfying(GoogleJsonResponseException.class, e -> assertThat(e.getStatusCode()).isEqualTo(400));
        assertThat(fake.tabs(ID)).containsExactly("Sheet1");
    }

    @Test
    void aHeldWriteIsAppliedBeforeItsAnswerIsHeld() throws Exception {
        FakeSheets.HeldWrite hold = fake.holdNextWrite();
        var append = new BatchUpdateSpreadsheetRequest().setRequests(List.of(new Request().setAppendCells(
                new AppendCellsRequest().setSheetId(0).setFields("userEnteredValue").setRows(List.of(row(text("held")))))));

        CompletableFuture<Object> call = CompletableFuture.supplyAsync(() -> {
            try {
                return sheets.spreadsheets().batchUpdate(ID, append).execute();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(hold.awaitArrival(Duration.ofSeconds(10))).isTrue();
        assertThat(fake.formattedRows(ID, "Sheet1")).containsExactly(List.of("held"));
        assertThat(call).isNotDone();
        hold.release();
        assertThat(call.get(10, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void rangesParseLikeA1Notation() {
        assertThat(A1Range.parse("'It''s'!B2:C")).isEqualTo(new A1Range("It's", 1, 1, Integer.MAX_VALUE, 2));
        assertThat(A1Range.parse("Sheet1")).isEqualTo(new A1Range("Sheet1", 0, 0, Integer.MAX_VALUE, Integer.MAX_VALUE));
        assertThat(A1Range.parse("'Unknown Date'!A:E")).isEqualTo(new A1Range("Unknown Date", 0, 0, Integer.MAX_VALUE, 4));
        assertThat(Formats.date(LocalDate.of(2026, 2, 5), "M/D/YYYY")).isEqualTo("2/5/2026");
        assertThat(Formats.number(25, "NUMBER", "0.00")).isEqualTo("25.00");
    }

    private static RowData row(CellData... cells) {
        return new RowData().setValues(List.of(cells));
    }

    private static CellData text(String value) {
        return new CellData().setUserEnteredValue(new ExtendedValue().setStringValue(value));
    }

    private static CellData number(double value, NumberFormat format) {
        CellData cell = new CellData().setUserEnteredValue(new ExtendedValue().setNumberValue(value));
        return format == null ? cell : cell.setUserEnteredFormat(new CellFormat().setNumberFormat(format));
    }
}
