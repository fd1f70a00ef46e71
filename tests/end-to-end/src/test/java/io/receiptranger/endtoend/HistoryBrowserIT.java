package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * "Your receipts" in headless Chromium against the packaged ingest, extractor and sheets-sink on one real
 * broker, the sink writing to the fake Google Sheets server: filter the history, read the charts
 * against the month's summary (one chart per currency, never summed across), correct a total and
 * watch the sheet's row change in place and the export follow, change a date and watch the row move
 * to its month's tab, delete one (with confirmation) and undo it, turn review before writing on (the
 * owner's setting: it holds receipts whose upload did not ask for it, and outlives the browser's
 * storage), upload two photos and accept the batch it held, re-read a FAILED receipt (the model is
 * asked again; FAILED then WRITTEN once), the two FAILED ones of a batch at once, and a written one (the new total beside the old: kept old,
 * then kept new, the row changing in place), be told why a bad correction changes nothing (an amount
 * that is not a number, a future date, a category outside the 23, another owner's receipt), and save
 * two corrections of one receipt at once (one consistent row). The receipts of the first steps are put on
 * {@code extractions} by the test; the uploads and re-reads go through the packaged extractor and the
 * real OpenAI client against a fake provider whose answers the test queues.
 */
class HistoryBrowserIT {

    static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    static final String SPREADSHEET_ID = "history-spreadsheet";
    static final ObjectMapper JSON = new ObjectMapper();
    static final List<String> HEADER = List.of("Amount", "Date", "", "Vendor", "Category");

    static KafkaLocalProcess kafka;
    static FakeSheets sheets;
    static KafkaProducer<String, String> producer;
    static Pipeline system;
    static ServiceProcess sink;
    static ServiceProcess ingest;
    static Path blobs;
    static WireMockServer openAi;
    static final ModelReplies model = new ModelReplies();
    static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");
    /** What a provider answers to a key it does not know. */
    static final String KEY_REFUSED = "{\"error\":{\"message\":\"Incorrect API key provided.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
    static final Set<String> TERMINAL = Set.of("WRITTEN", "FAILED", "EXCLUDED", "NOT_A_RECEIPT", "DUPLICATE");

    final HttpClient http = HttpClient.newHttpClient();
    ChromeDriver browser;
    WebDriverWait wait;
    /** For what crosses the whole pipeline (upload, model, sink) on a loaded machine. */
    WebDriverWait pipeline;

    @BeforeAll
    static void startTheSystem() throws Exception {
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(model));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withTransformers(ModelReplies.NAME)));
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").spreadsheet(SPREADSHEET_ID)
                .env("extractor", "OPENAI_MODEL", "gpt-5-mini").start();
        kafka = system.kafka;
        sheets = system.sheets;
        blobs = system.blobs;
        sink = system.sink;
        ingest = system.ingest;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());

        // Four written receipts: three in January (two in euros, one in dollars), one in February;
        // the first has its photo in the blob store, as an upload leaves it.
        extracted("r-h-cafe", "12.00", "EUR", "2026-01-10", "Cafe Central", "Food & Restaurants", false);
        extracted("r-h-shop", "30.00", "EUR", "2026-01-12", "Corner Shop", "Groceries", false);
        extracted("r-h-book", "9.99", "USD", "2026-01-15", "Book Barn", "Education", false);
        extracted("r-h-taxi", "20.00", "EUR", "2026-02-02", "City Taxi", "Transportation", false);
        Files.copy(SAMPLES.resolve("receipt-5423.jpg"), Files.createDirectories(blobs.resolve("b-history/r-h-cafe")).resolve("image.jpg"));
        // ... and one of another owner's, which the model could not read
        producer.send(new ProducerRecord<>("extractions", "alice", """
                {"receiptId":"r-h-alices","batchId":"b-alice","owner":"alice","fileName":"hers.jpg","sha256":"01","outcome":"FAILED",
                 "reason":"The model provider refused the key.","receipt":null,"checks":{"arithmetic":"UNKNOWN","dateRetried":false},
                 "model":"none","promptVersion":"1","attempts":0,"extractedAt":"2026-11-28T22:00:04Z"}""")).get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(90)).until(() -> ledger("").size() == 4
                && "FAILED".equals(ledgerEntry("r-h-alices", "alice").path("receipt").path("state").asText()));
    }

    @AfterAll
    static void stopTheSystem() {
        if (producer != null) {
            producer.close();
        }
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    static void extracted(String id, String total, String currency, String date, String vendor, String category, boolean review) throws Exception {
        String record = """
                {"receiptId":"%s","batchId":"b-history","owner":"default","fileName":"%s.jpg","sha256":"00","outcome":"EXTRACTED",
                 "reason":"","receipt":{"total":"%s","subtotal":null,"tax":null,"tip":null,"currency":"%s","date":"%s","vendor":"%s",
                 "categories":["%s"],"paymentMethods":["Card"],"cardLast4":null},"checks":{"arithmetic":"OK","dateRetried":false},
                 "model":"gpt-5-mini","promptVersion":"1","attempts":1,"extractedAt":"2026-11-28T22:00:04Z","review":%s}"""
                .formatted(id, id, total, currency, date, vendor, category, review);
        producer.send(new ProducerRecord<>("extractions", id, record)).get(30, TimeUnit.SECONDS);
    }

    /** The sink's JSON listing for the local owner, straight from the sink. */
    static List<JsonNode> ledger(String query) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(sink.url("/api/receipts?owner=default" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
        List<JsonNode> out = new ArrayList<>();
        JSON.readTree(r.body()).forEach(out::add);
        return out;
    }

    @BeforeEach
    void openBrowser() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--window-size=1280,2400", "--user-data-dir=" + Files.createTempDirectory("chromium-history-"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        pipeline = new WebDriverWait(browser, Duration.ofSeconds(120));
        pipeline.ignoring(StaleElementReferenceException.class);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void filterChartCorrectMoveDeleteUndoReviewUploadAndReread() throws Exception {
        browser.get(ingest.baseUrl() + "/");
        browser.findElement(By.id("h-open")).click();
        wait.until(d -> rows().size() == 4);
        // The photo's thumbnail comes from the blob store, through the ingest
        wait.until(d -> Long.valueOf(1).equals(d.findElements(By.cssSelector("tr[data-receipt='r-h-cafe'] img.thumb")).isEmpty() ? 0L
                : (Long) ((ChromeDriver) d).executeScript("return document.querySelector(\"tr[data-receipt='r-h-cafe'] img.thumb\").naturalWidth > 0 ? 1 : 0;")));

        // Filter: January only; sorted by amount, largest first
        filter("2026-01", "");
        wait.until(d -> rows().size() == 3);
        browser.findElement(By.cssSelector("#h-table th[data-sort='amount'] button")).click();
        browser.findElement(By.cssSelector("#h-table th[data-sort='amount'] button")).click();
        wait.until(d -> rows().equals(List.of("r-h-shop", "r-h-cafe", "r-h-book")));
        assertThat(cell("r-h-shop", "amount")).isEqualTo("EUR 30.00");
        assertThat(cell("r-h-book", "amount")).isEqualTo("USD 9.99");
        assertThat(cell("r-h-cafe", "place")).isEqualTo("January 2026, row 2");
        assertThat(browser.findElement(By.cssSelector("tr[data-receipt='r-h-cafe'] td[data-field='place'] a")).getAttribute("href"))
                .startsWith("https://docs.google.com/spreadsheets/d/" + SPREADSHEET_ID + "/edit#gid=");

        // The charts' bars are the month's summary figures, one chart per currency, never summed across
        JsonNode summary = JSON.readTree(get("/api/summary?month=2026-01"));
        assertThat(summary.path("total").isNull()).isTrue();
        wait.until(d -> !d.findElements(By.cssSelector("svg[data-chart='months'][data-currency='EUR']")).isEmpty());
        for (JsonNode currency : summary.path("currencies")) {
            String c = currency.path("currency").asText();
            assertThat(bar("months", c, "[data-month='2026-01']")).isEqualTo(currency.path("total").asText());
            for (JsonNode category : currency.path("byCategory")) {
                assertThat(bar("categories", c, "[data-category='" + category.path("category").asText() + "']"))
                        .isEqualTo(category.path("total").asText());
            }
        }
        assertThat(bar("months", "EUR", "[data-month='2026-01']")).isEqualTo("42.00");
        assertThat(bar("months", "USD", "[data-month='2026-01']")).isEqualTo("9.99");

        // Correct a total: the row changes in place, the export follows
        edit("r-h-cafe");
        WebElement amount = browser.findElement(By.id("h-edit-amount"));
        amount.clear();
        amount.sendKeys("15.00");
        browser.findElement(By.id("h-save")).click();
        wait.until(d -> message().equals("Done: corrected in January 2026, row 2."));
        // (the shop and the book shop were written in whichever order the sink heard of them)
        List<List<String>> january = sheets.formattedRows(SPREADSHEET_ID, "January 2026");
        assertThat(january.subList(0, 2)).containsExactly(HEADER,
                List.of("15.00", "1/10/2026", "", "Cafe Central", "Food & Restaurants"));
        assertThat(january.subList(2, january.size())).containsExactlyInAnyOrder(
                List.of("30.00", "1/12/2026", "", "Corner Shop", "Groceries"),
                List.of("9.99", "1/15/2026", "", "Book Barn", "Education"));
        wait.until(d -> cell("r-h-cafe", "amount").equals("EUR 15.00"));
        String tsv = get(new URI(browser.findElement(By.id("h-download-tsv")).getAttribute("href")).getRawPath() + "?"
                + new URI(browser.findElement(By.id("h-download-tsv")).getAttribute("href")).getRawQuery());
        assertThat(tsv).contains("15.00\t1/10/2026\t\tCafe Central\tFood & Restaurants\n").doesNotContain("12.00");

        // Change a date into February: the row leaves January's tab for February's
        edit("r-h-shop");
        browser.executeScript("document.getElementById('h-edit-date').value = '2026-02-03';");
        browser.findElement(By.id("h-save")).click();
        wait.until(d -> message().equals("Done: moved to February 2026, row 3."));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026")).containsExactly(HEADER,
                List.of("15.00", "1/10/2026", "", "Cafe Central", "Food & Restaurants"),
                List.of("9.99", "1/15/2026", "", "Book Barn", "Education"));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "February 2026")).containsExactly(HEADER,
                List.of("20.00", "2/2/2026", "", "City Taxi", "Transportation"),
                List.of("30.00", "2/3/2026", "", "Corner Shop", "Groceries"));
        wait.until(d -> rows().size() == 2);

        // Delete one, with confirmation; then undo it
        filter("2026-02", "");
        // February's two rows (January also shows two now: wait for these, not for any two)
        wait.until(d -> Set.copyOf(rows()).equals(Set.of("r-h-shop", "r-h-taxi")));
        browser.findElement(By.cssSelector("tr[data-receipt='r-h-taxi'] button[aria-label^='Delete']")).click();
        browser.findElement(By.id("h-confirm-delete")).click();
        wait.until(d -> message().equals("Done: deleted from February 2026, row 2."));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "February 2026")).containsExactly(HEADER,
                List.of("30.00", "2/3/2026", "", "Corner Shop", "Groceries"));
        wait.until(d -> rows().equals(List.of("r-h-shop")));
        browser.findElement(By.id("h-undo")).click();
        wait.until(d -> message().equals("Done: restored to February 2026, row 3."));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "February 2026")).containsExactly(HEADER,
                List.of("30.00", "2/3/2026", "", "Corner Shop", "Groceries"),
                List.of("20.00", "2/2/2026", "", "City Taxi", "Transportation"));
        wait.until(d -> rows().size() == 2);

        // Review before writing is the owner's setting, not this browser's: turned on, it survives a
        // browser that forgot everything
        WebElement reviewBox = browser.findElement(By.id("review"));
        wait.until(d -> "true".equals(reviewBox.getAttribute("data-loaded")));
        assertThat(reviewBox.isSelected()).isFalse();
        reviewBox.click();
        wait.until(d -> "true".equals(reviewBox.getAttribute("data-saved")));
        browser.executeScript("localStorage.clear(); sessionStorage.clear();");
        browser.navigate().refresh();
        wait.until(d -> "true".equals(d.findElement(By.id("review")).getAttribute("data-loaded")));
        assertThat(browser.findElement(By.id("review")).isSelected()).isTrue();
        browser.findElement(By.id("h-open")).click();

        // Two photos uploaded from the page while it is on (the upload does not ask for review): the
        // model reads them, both stop at REVIEW, nothing reaches the sheet until they are accepted
        model.replyWith(200, reading("5.00", "EUR", "03/01/2026", "Bakery", "Food & Restaurants"));
        model.replyWith(200, reading("7.00", "EUR", "03/02/2026", "Florist", "Gifts & Donations"));
        List<String> held = upload("PXL_20260402_916358.jpg", "PXL_20260706_901977.jpg");
        pipeline.until(d -> held.stream().allMatch(id -> "REVIEW".equals(progressStage(id))));
        assertThat(model.calls()).isEqualTo(2);
        filter("", "");
        wait.until(d -> Set.copyOf(reviewList()).equals(Set.copyOf(held)));
        assertThat(sheets.tabs(SPREADSHEET_ID)).doesNotContain("March 2026");
        browser.findElement(By.id("h-accept-all")).click();
        pipeline.until(d -> !d.findElement(By.id("h-review")).isDisplayed());
        // (an accept the sink had not settled when it answered is written a moment later)
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            List<List<String>> rows = sheets.formattedRows(SPREADSHEET_ID, "March 2026");
            assertThat(rows).first().isEqualTo(HEADER);
            assertThat(rows).containsExactlyInAnyOrder(HEADER,
                    List.of("5.00", "3/1/2026", "", "Bakery", "Food & Restaurants"),
                    List.of("7.00", "3/2/2026", "", "Florist", "Gifts & Donations"));
        });
        pipeline.until(d -> rows().size() == 6 && rows().containsAll(held));
        // Turned off again: the receipts below are written at once
        browser.findElement(By.id("review")).click();
        wait.until(d -> "false".equals(d.findElement(By.id("review")).getAttribute("data-saved")));

        // A photo the model could not read (it refused the key): FAILED, listed under "Not written"
        model.replyWith(401, KEY_REFUSED);
        String failed = upload("PXL_20260918_595679.jpg").get(0);
        pipeline.until(d -> "FAILED".equals(progressStage(failed)));
        assertThat(model.calls()).isEqualTo(3);
        browser.findElement(By.id("h-apply")).click();
        wait.until(d -> !d.findElements(By.cssSelector("#h-unwritten-list li[data-receipt='" + failed + "'] button")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("#h-unwritten-list li[data-receipt='" + failed + "']")).getText())
                .contains("PXL_20260918_595679.jpg", "could not be read", "refused the API key");
        // Re-read once the key works: the model reads the stored image again and the receipt is written
        model.replyWith(200, reading("4.20", "EUR", "03/05/2026", "Corner Bakery", "Food & Restaurants"));
        browser.findElement(By.cssSelector("#h-unwritten-list li[data-receipt='" + failed + "'] button")).click();
        pipeline.until(d -> message().equals("Read again: added to March 2026, row 4."));
        assertThat(model.calls()).isEqualTo(4);
        List<List<String>> march = sheets.formattedRows(SPREADSHEET_ID, "March 2026");
        assertThat(march).hasSize(4);
        assertThat(march.get(3)).isEqualTo(List.of("4.20", "3/5/2026", "", "Corner Bakery", "Food & Restaurants"));
        wait.until(d -> d.findElements(By.cssSelector("#h-unwritten-list li[data-receipt='" + failed + "']")).isEmpty());
        wait.until(d -> rows().contains(failed));
        assertThat(cell(failed, "amount")).isEqualTo("EUR 4.20");
        assertThat(cell(failed, "place")).isEqualTo("March 2026, row 4");
        // ... one terminal stage for the first reading, one new one for the re-read: FAILED, then WRITTEN once
        await().atMost(Duration.ofSeconds(30)).until(() -> stages(failed).contains("WRITTEN"));
        assertThat(stages(failed).stream().filter(TERMINAL::contains).toList()).containsExactly("FAILED", "WRITTEN");

        // Two photos of one batch the provider refuses: "Re-read all 2" reads both again, both are written
        model.replyWith(401, KEY_REFUSED);
        model.replyWith(401, KEY_REFUSED);
        List<String> batchFailed = upload("PXL_20261116_137923.jpg", "receipt-15592.jpg");
        pipeline.until(d -> batchFailed.stream().allMatch(id -> "FAILED".equals(progressStage(id))));
        assertThat(model.calls()).isEqualTo(6);
        String failedBatch = browser.findElement(By.id("progress-section")).getAttribute("data-batch");
        browser.findElement(By.id("h-apply")).click();
        By rereadAll = By.cssSelector("#h-unwritten-list li[data-batch='" + failedBatch + "'] button");
        wait.until(d -> !d.findElements(rereadAll).isEmpty());
        assertThat(browser.findElement(rereadAll).getText()).isEqualTo("Re-read all 2 that could not be read");
        model.replyWith(200, reading("6.10", "EUR", "03/06/2026", "Tea House", "Food & Restaurants"));
        model.replyWith(200, reading("8.30", "EUR", "03/07/2026", "Paper Shop", "Office & Supplies"));
        browser.findElement(rereadAll).click();
        pipeline.until(d -> message().equals("Read again: 2 written."));
        assertThat(model.calls()).isEqualTo(8);
        List<List<String>> marchAfterBatch = sheets.formattedRows(SPREADSHEET_ID, "March 2026");
        assertThat(marchAfterBatch).hasSize(6);
        assertThat(marchAfterBatch.subList(4, 6)).containsExactlyInAnyOrder(
                List.of("6.10", "3/6/2026", "", "Tea House", "Food & Restaurants"),
                List.of("8.30", "3/7/2026", "", "Paper Shop", "Office & Supplies"));
        wait.until(d -> d.findElements(By.cssSelector("#h-unwritten-list li[data-batch='" + failedBatch + "']")).isEmpty()
                && rows().containsAll(batchFailed));

        // Re-read a written receipt: the new total shows beside the old one; keeping the old values leaves the row
        model.replyWith(200, reading("16.50", "EUR", "01/10/2026", "Cafe Central", "Food & Restaurants"));
        browser.findElement(By.cssSelector("tr[data-receipt='r-h-cafe'] button[aria-label^='Re-read']")).click();
        pipeline.until(d -> !d.findElements(By.cssSelector("tr[data-reread='r-h-cafe']")).isEmpty());
        assertThat(model.calls()).isEqualTo(9);
        assertThat(browser.findElement(By.cssSelector("tr[data-reread='r-h-cafe'] [data-values='old']")).getText()).contains("EUR 15.00");
        assertThat(browser.findElement(By.cssSelector("tr[data-reread='r-h-cafe'] [data-values='new']")).getText()).contains("EUR 16.50");
        List<String> cafeRow = List.of("15.00", "1/10/2026", "", "Cafe Central", "Food & Restaurants");
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026").get(1)).isEqualTo(cafeRow);
        browser.findElement(By.cssSelector("tr[data-reread='r-h-cafe'] button[data-keep='old']")).click();
        wait.until(d -> d.findElements(By.cssSelector("tr[data-reread='r-h-cafe']")).isEmpty());
        assertThat(cell("r-h-cafe", "amount")).isEqualTo("EUR 15.00");
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026")).containsExactly(HEADER, cafeRow,
                List.of("9.99", "1/15/2026", "", "Book Barn", "Education"));
        // Read again, and this time the new values are kept: the row changes in place
        model.replyWith(200, reading("16.50", "EUR", "01/10/2026", "Cafe Central", "Food & Restaurants"));
        browser.findElement(By.cssSelector("tr[data-receipt='r-h-cafe'] button[aria-label^='Re-read']")).click();
        pipeline.until(d -> !d.findElements(By.cssSelector("tr[data-reread='r-h-cafe']")).isEmpty());
        assertThat(model.calls()).isEqualTo(10);
        browser.findElement(By.cssSelector("tr[data-reread='r-h-cafe'] button[data-keep='new']")).click();
        wait.until(d -> message().equals("Done: corrected in January 2026, row 2."));
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026")).containsExactly(HEADER,
                List.of("16.50", "1/10/2026", "", "Cafe Central", "Food & Restaurants"),
                List.of("9.99", "1/15/2026", "", "Book Barn", "Education"));
        wait.until(d -> d.findElements(By.cssSelector("tr[data-reread='r-h-cafe']")).isEmpty());
        wait.until(d -> "EUR 16.50".equals(cell("r-h-cafe", "amount")));
        assertThat(model.unexpected()).isZero();

        // Bad input gets a sentence and changes nothing: an amount that is not a number, a date in the future
        // (typed in the page), a category outside the 23 and a receipt that is not the owner's (asked directly)
        List<List<String>> januaryBefore = sheets.formattedRows(SPREADSHEET_ID, "January 2026");
        edit("r-h-book");
        WebElement badAmount = browser.findElement(By.id("h-edit-amount"));
        badAmount.clear();
        badAmount.sendKeys("twelve");
        browser.findElement(By.id("h-save")).click();
        wait.until(d -> message().equals("The amount \"twelve\" is not a number; write it like 25.50."));
        assertThat(browser.findElement(By.id("h-message")).getAttribute("class")).contains("error");
        badAmount.clear();
        badAmount.sendKeys("9.99");
        String future = java.time.LocalDate.now(java.time.ZoneOffset.UTC).plusDays(2).toString();
        browser.executeScript("document.getElementById('h-edit-date').value = arguments[0];", future);
        browser.findElement(By.id("h-save")).click();
        wait.until(d -> message().equals("The date " + future + " is in the future; a receipt's date is today or earlier."));
        HttpResponse<String> snacks = postToIngest("/api/receipts/r-h-book/corrections", "{\"categories\":[\"Snacks\"]}");
        assertThat(snacks.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(snacks.body()).path("detail").asText())
                .startsWith("\"Snacks\" is not a category. Choose from: Food & Restaurants, Groceries");
        // (another owner's receipt, which the sink holds, answers exactly like an unknown one)
        for (String path : List.of("/api/receipts/r-h-alices/corrections", "/api/receipts/r-h-alices/reread")) {
            HttpResponse<String> notTheirs = postToIngest(path, "{\"amount\":\"1.00\"}");
            assertThat(notTheirs.statusCode()).as(path).isEqualTo(404);
            assertThat(JSON.readTree(notTheirs.body()).path("detail").asText()).as(path).isEqualTo("There is no receipt r-h-alices.");
        }
        assertThat(ledgerEntry("r-h-alices", "alice").path("history")).isEmpty();
        assertThat(ledgerEntry("r-h-book").path("history")).isEmpty();
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026")).isEqualTo(januaryBefore);

        // Two corrections of the same receipt at once (two tabs saving together): both are applied, one
        // after the other, and the sheet's row, the ledger and the page agree on the result
        var first = http.sendAsync(correction("r-h-book", "{\"amount\":\"11.00\"}"), HttpResponse.BodyHandlers.ofString());
        var second = http.sendAsync(correction("r-h-book", "{\"amount\":\"12.00\",\"vendor\":\"Book Barn Two\"}"),
                HttpResponse.BodyHandlers.ofString());
        assertThat(List.of(first.get(60, TimeUnit.SECONDS).statusCode(), second.get(60, TimeUnit.SECONDS).statusCode()))
                .allSatisfy(status -> assertThat(status).isIn(200, 202));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            JsonNode d = ledgerEntry("r-h-book");
            return d.path("history").size() == 2 && (d.path("pending").isNull() || d.path("pending").isMissingNode())
                    && java.util.stream.StreamSupport.stream(d.path("history").spliterator(), false)
                            .allMatch(h -> "APPLIED".equals(h.path("outcome").asText()));
        });
        JsonNode raced = ledgerEntry("r-h-book").path("receipt");
        assertThat(raced.path("vendor").asText()).isEqualTo("Book Barn Two");
        assertThat(raced.path("amount").asText()).isIn("11.00", "12.00");
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "January 2026")).containsExactly(HEADER,
                List.of("16.50", "1/10/2026", "", "Cafe Central", "Food & Restaurants"),
                List.of(raced.path("amount").asText(), "1/15/2026", "", "Book Barn Two", "Education"));
        browser.findElement(By.id("h-apply")).click();
        wait.until(d -> ("USD " + raced.path("amount").asText()).equals(cell("r-h-book", "amount"))
                && "Book Barn Two".equals(cell("r-h-book", "vendor")));

        Files.write(Path.of("target", "history-browser-test.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** Picks the sample photos in the page and processes them; answers the new batch's receipt ids in the order shown. */
    List<String> upload(String... files) {
        String before = browser.findElement(By.id("progress-section")).getAttribute("data-batch");
        browser.findElement(By.id("files")).sendKeys(String.join("\n",
                Arrays.stream(files).map(f -> SAMPLES.resolve(f).toAbsolutePath().toString()).toList()));
        wait.until(d -> d.findElements(By.cssSelector("#tiles li")).size() == files.length);
        browser.findElement(By.id("process")).click();
        wait.until(d -> {
            String batch = d.findElement(By.id("progress-section")).getAttribute("data-batch");
            return batch != null && !batch.equals(before) && d.findElements(By.cssSelector("#progress li[data-receipt]")).size() == files.length;
        });
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#progress li[data-receipt]')].map(e => e.dataset.receipt);");
        return ids;
    }

    /** The stage the upload's progress list shows for a receipt. */
    String progressStage(String receiptId) {
        return (String) browser.executeScript("const s = document.querySelector(\"#progress li[data-receipt='\" + arguments[0] + \"'] .stage\");"
                + " return s ? s.dataset.stage : null;", receiptId);
    }

    @SuppressWarnings("unchecked")
    List<String> reviewList() {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll('#h-review-list li')].map(r => r.dataset.receipt);");
    }

    /** What a model answers about a receipt (the prompt's JSON), as a chat completion. */
    static String reading(String total, String currency, String date, String vendor, String category) {
        String content = ("{\"isValidReceipt\":true,\"validationError\":\"\",\"total\":\"%s\",\"subtotal\":\"\",\"tax\":\"\",\"tip\":\"\","
                + "\"currency\":\"%s\",\"date\":\"%s\",\"vendor\":\"%s\",\"categories\":[\"%s\"],\"paymentMethods\":[\"Card\"],"
                + "\"cardLast4\":\"\",\"excludeFromTable\":false,\"exclusionReason\":\"\"}").formatted(total, currency, date, vendor, category);
        return ReceiptJourneyIT.chatCompletion(content);
    }

    static List<String> stages(String receiptId) {
        return TopicReader.readAll(kafka.bootstrapServers(), "receipt-status").stream().filter(r -> receiptId.equals(r.key()))
                .map(r -> readTree(r.value()).path("stage").asText()).toList();
    }

    static JsonNode ledgerEntry(String receiptId) throws Exception {
        return ledgerEntry(receiptId, "default");
    }

    /** One receipt as the sink's ledger holds it for {@code owner}, history included. */
    static JsonNode ledgerEntry(String receiptId, String owner) throws Exception {
        return JSON.readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(sink.url("/api/receipts/" + receiptId + "?owner=" + owner)).build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }

    HttpRequest correction(String receiptId, String body) {
        return HttpRequest.newBuilder(ingest.url("/api/receipts/" + receiptId + "/corrections")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    HttpResponse<String> postToIngest(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(ingest.url(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The fake OpenAI-compatible provider's answers, in the order the test queues them: each chat
     * completion takes the next one. A call with none queued is counted as unexpected and answered 500.
     */
    static final class ModelReplies implements ResponseDefinitionTransformerV2 {
        static final String NAME = "history-model-replies";
        private final BlockingQueue<ResponseDefinition> queued = new LinkedBlockingQueue<>();
        private final AtomicInteger calls = new AtomicInteger();
        private final AtomicInteger unexpected = new AtomicInteger();

        void replyWith(int status, String body) {
            queued.add(ResponseDefinitionBuilder.responseDefinition().withStatus(status)
                    .withHeader("Content-Type", "application/json").withBody(body).build());
        }

        int calls() {
            return calls.get();
        }

        int unexpected() {
            return unexpected.get();
        }

        @Override
        public ResponseDefinition transform(ServeEvent serveEvent) {
            calls.incrementAndGet();
            ResponseDefinition next = queued.poll();
            if (next == null) {
                unexpected.incrementAndGet();
                return ResponseDefinitionBuilder.responseDefinition().withStatus(500).withBody("{\"error\":{\"message\":\"no reply queued\"}}").build();
            }
            return next;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public String getName() {
            return NAME;
        }
    }

    void filter(String month, String vendor) {
        browser.executeScript("document.getElementById('h-month').value = arguments[0];", month);
        WebElement v = browser.findElement(By.id("h-vendor"));
        v.clear();
        v.sendKeys(vendor);
        browser.findElement(By.id("h-apply")).click();
    }

    void edit(String receiptId) {
        browser.findElement(By.cssSelector("tr[data-receipt='" + receiptId + "'] button[aria-label^='Edit']")).click();
        wait.until(d -> !d.findElements(By.id("h-edit-amount")).isEmpty());
    }

    @SuppressWarnings("unchecked")
    List<String> rows() {
        return (List<String>) browser.executeScript("return [...document.querySelectorAll('#h-table tbody tr[data-receipt]')].map(r => r.dataset.receipt);");
    }

    String cell(String receiptId, String field) {
        return (String) browser.executeScript("const c = document.querySelector(\"tr[data-receipt='\" + arguments[0] + \"'] td[data-field='\" + arguments[1] + \"']\");"
                + " return c ? c.textContent : null;", receiptId, field);
    }

    String message() {
        return browser.findElement(By.id("h-message")).getText();
    }

    String bar(String chart, String currency, String which) {
        return browser.findElement(By.cssSelector("svg[data-chart='" + chart + "'][data-currency='" + currency + "'] g.bar" + which))
                .getAttribute("data-total");
    }

    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(ingest.url(path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(path).isEqualTo(200);
        return r.body();
    }
}
