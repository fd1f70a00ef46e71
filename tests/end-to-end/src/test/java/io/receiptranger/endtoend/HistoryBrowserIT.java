package io.receiptranger.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

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

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * "Your receipts" in headless Chromium against the packaged ingest and sheets-sink on one real
 * broker, the sink writing to the fake Google Sheets server: filter the history, read the charts
 * against the month's summary (one chart per currency, never summed across), correct a total and
 * watch the sheet's row change in place and the export follow, change a date and watch the row move
 * to its month's tab, delete one (with confirmation) and undo it, and accept a batch held for review.
 * The test plays the extractor by producing its records.
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
    static final List<ServiceProcess> services = new ArrayList<>();
    static ServiceProcess sink;
    static ServiceProcess ingest;
    static Path blobs;

    final HttpClient http = HttpClient.newHttpClient();
    ChromeDriver browser;
    WebDriverWait wait;

    @BeforeAll
    static void startTheSystem() throws Exception {
        kafka = KafkaLocalProcess.start();
        sheets = FakeSheets.start();
        sheets.createSpreadsheet(SPREADSHEET_ID);
        blobs = Files.createTempDirectory("history-blobs");
        Map<String, String> sinkEnv = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "GOOGLE_SHEETS_SPREADSHEET_ID", SPREADSHEET_ID,
                "GOOGLE_SHEETS_ROOT_URL", sheets.baseUrl() + "/",
                "GOOGLE_SHEETS_CREDENTIALS", Base64.getEncoder().encodeToString(
                        FakeSheets.serviceAccountJson("ranger@history.iam.gserviceaccount.com", sheets.tokenUri()).getBytes(StandardCharsets.UTF_8))));
        sink = ServiceProcess.start("sheets-sink", sinkEnv);
        services.add(sink);
        ingest = ServiceProcess.start("ingest", Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                "RANGER_BLOB_STORE", "file:" + blobs, "RANGER_SINK_URL", sink.baseUrl()));
        services.add(ingest);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
        services.forEach(ServiceProcess::awaitReady);

        // Four written receipts: three in January (two in euros, one in dollars), one in February;
        // the first has its photo in the blob store, as an upload leaves it.
        extracted("r-h-cafe", "12.00", "EUR", "2026-01-10", "Cafe Central", "Food & Restaurants", false);
        extracted("r-h-shop", "30.00", "EUR", "2026-01-12", "Corner Shop", "Groceries", false);
        extracted("r-h-book", "9.99", "USD", "2026-01-15", "Book Barn", "Education", false);
        extracted("r-h-taxi", "20.00", "EUR", "2026-02-02", "City Taxi", "Transportation", false);
        Path image = Files.createDirectories(blobs.resolve("b-history/r-h-cafe")).resolve("image.jpg");
        Files.copy(ServiceProcess.REPO.resolve("samples/receipts/receipt-5423.jpg"), image);
        await().atMost(Duration.ofSeconds(90)).until(() -> ledger("").size() == 4);
    }

    @AfterAll
    static void stopTheSystem() {
        if (producer != null) {
            producer.close();
        }
        services.forEach(ServiceProcess::close);
        if (sheets != null) {
            sheets.close();
        }
        if (kafka != null) {
            kafka.close();
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
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void filterChartCorrectMoveDeleteUndoAndReview() throws Exception {
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

        // A batch held for review: nothing in the sheet until accepted, then every row at once
        extracted("r-h-rev1", "5.00", "EUR", "2026-03-01", "Bakery", "Food & Restaurants", true);
        extracted("r-h-rev2", "7.00", "EUR", "2026-03-02", "Florist", "Gifts & Donations", true);
        await().atMost(Duration.ofSeconds(60)).until(() -> ledger("&state=REVIEW").size() == 2);
        filter("", "");
        wait.until(d -> d.findElements(By.cssSelector("#h-review-list li")).size() == 2);
        assertThat(sheets.tabs(SPREADSHEET_ID)).doesNotContain("March 2026");
        browser.findElement(By.id("h-accept-all")).click();
        wait.until(d -> !d.findElement(By.id("h-review")).isDisplayed());
        assertThat(sheets.formattedRows(SPREADSHEET_ID, "March 2026")).containsExactly(HEADER,
                List.of("5.00", "3/1/2026", "", "Bakery", "Food & Restaurants"),
                List.of("7.00", "3/2/2026", "", "Florist", "Gifts & Donations"));
        wait.until(d -> rows().size() == 6);

        Files.write(Path.of("target", "history-browser-test.png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
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
