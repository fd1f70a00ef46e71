package io.receiptranger.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.websockets.next.OpenConnections;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.restassured.RestAssured;

/**
 * The page in headless Chromium (Debian's {@code chromium} + {@code chromium-driver}): pick three
 * files, remove one, process, survive a dropped connection, watch both reach a terminal stage,
 * download the TSV, copy it to the clipboard; the button is reached and pressed from the keyboard. The test plays
 * the extractor and the sink by producing their records onto the real broker.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaLocalResource.class, restrictToAnnotatedClass = true)
class BrowserIT {

    static final String CHROMIUM = System.getProperty("chromium.binary", "/usr/bin/chromium");
    static final String CHROMEDRIVER = System.getProperty("chromedriver.binary", "/usr/bin/chromedriver");
    /** The vendor as the extractor read it: a formula, with markup, straight from the receipt. */
    static final String VENDOR = "=HYPERLINK(\"https://evil.example/\",\"PEAK <b>YOGA</b>\")";
    static final String TSV = "Amount\tDate\t\tVendor\tCategory\n167.61\t10/5/2025\t\t'" + VENDOR
            + "\tSubscriptions & Memberships\n";
    static final List<String> FILES = List.of("receipt-5423.jpg", "IMG_1097.png", "Receipt_43247.pdf");
    static final String EXTRACTED = """
            {"receiptId":"%s","batchId":"%s","owner":"default","fileName":"receipt-5423.jpg","sha256":"x",
             "outcome":"EXTRACTED","reason":"","receipt":{"total":"167.61","subtotal":"152.51","tax":"15.10","tip":null,
             "currency":"USD","date":"2025-10-05","vendor":"=HYPERLINK(\\"https://evil.example/\\",\\"PEAK <b>YOGA</b>\\")","categories":["Subscriptions & Memberships"],
             "paymentMethods":["Card"],"cardLast4":"0385"},"checks":{"arithmetic":"OK","dateRetried":false},
             "model":"gpt-5-mini","promptVersion":"1","attempts":1,"extractedAt":"2026-11-28T22:00:04Z"}""";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    OpenConnections connections;

    ChromeDriver browser;
    Path downloads;
    KafkaTestClient kafka;

    @BeforeEach
    void openBrowser() throws Exception {
        downloads = Files.createDirectories(Path.of("target", "browser-downloads").toAbsolutePath());
        try (var old = Files.list(downloads)) {
            old.forEach(p -> p.toFile().delete());
        }
        browser = Chromium.start(downloads);
        kafka = new KafkaTestClient(bootstrap);
    }

    @AfterEach
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
        kafka.close();
    }

    @Test
    void pickThreeRemoveOneProcessWatchAndDownload() throws Exception {
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get("http://localhost:" + RestAssured.port + "/");
        // Let the page write and the test read the clipboard without a prompt (there is no one to click it).
        browser.executeCdpCommand("Browser.grantPermissions", Map.of("origin", "http://localhost:" + RestAssured.port,
                "permissions", List.of("clipboardReadWrite", "clipboardSanitizedWrite")));

        // Pick three files: three tiles
        String paths = String.join("\n", FILES.stream().map(f -> TestFiles.receipt(f).toAbsolutePath().toString()).toList());
        browser.findElement(By.id("files")).sendKeys(paths);
        wait.until(d -> d.findElements(By.cssSelector("#tiles li")).size() == 3);
        assertThat(browser.findElement(By.id("process")).getText()).isEqualTo("Process 3 receipts");

        // A text file named .jpg gets a tile with a note saying it will be skipped, and does not count
        Path text = Files.writeString(Path.of("target", "notes.jpg").toAbsolutePath(), "just text, named like a photo");
        browser.findElement(By.id("files")).sendKeys(text.toString());
        wait.until(d -> d.findElements(By.cssSelector("#tiles li")).size() == 4);
        assertThat(browser.findElement(By.cssSelector("#tiles li[data-file='notes.jpg'] .note")).getText())
                .isEqualTo("Will be skipped: not an image we read");
        assertThat(browser.findElement(By.id("process")).getText()).isEqualTo("Process 3 receipts");
        browser.findElement(By.cssSelector("#tiles li[data-file='notes.jpg'] button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#tiles li")).size() == 3);

        // The theme switches and says so
        browser.findElement(By.id("theme")).click();
        assertThat(browser.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo("light");
        assertThat(browser.findElement(By.id("theme")).getText()).isEqualTo("Dark theme");

        // Remove the PDF: two tiles, "Process 2 receipts"
        browser.findElement(By.cssSelector("#tiles li[data-file='Receipt_43247.pdf'] button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#tiles li")).size() == 2);
        WebElement process = browser.findElement(By.id("process"));
        assertThat(process.getText()).isEqualTo("Process 2 receipts");

        // Process from the keyboard: Tab from the file picker reaches the button, Enter starts it; two progress rows appear
        browser.executeScript("document.getElementById('files').focus();");
        for (int i = 0; i < 20 && !"process".equals(activeId()); i++) {
            new Actions(browser).sendKeys(Keys.TAB).perform();
        }
        assertThat(activeId()).isEqualTo("process");
        new Actions(browser).sendKeys(Keys.ENTER).perform();
        wait.until(d -> d.findElements(By.cssSelector("#progress li[data-receipt]")).size() == 2);
        @SuppressWarnings("unchecked")
        List<String> ids = (List<String>) browser.executeScript(
                "return [...document.querySelectorAll('#progress li[data-receipt]')].map(e => e.dataset.receipt);");
        String batch = browser.findElement(By.id("progress-section")).getAttribute("data-batch");
        assertThat(batch).startsWith("b-");

        // The connection drops (the server closes it): the page reconnects by itself
        wait.until(d -> !connections.listAll().isEmpty());
        String firstConnection = connections.listAll().iterator().next().id();
        connections.listAll().forEach(c -> c.closeAndAwait());
        wait.until(d -> connections.listAll().stream().anyMatch(c -> !c.id().equals(firstConnection) && c.isOpen()));

        // The extractor and the sink report (the test plays them)
        kafka.send("receipt-status", ids.get(0), status(ids.get(0), batch, "EXTRACTING", "extractor"));
        kafka.send("extractions", ids.get(0), EXTRACTED.formatted(ids.get(0), batch));
        kafka.send("receipt-status", ids.get(0), status(ids.get(0), batch, "WRITING", "sheets-sink"));
        kafka.send("receipt-status", ids.get(0), status(ids.get(0), batch, "WRITTEN", "sheets-sink"));
        kafka.send("receipt-status", ids.get(1), status(ids.get(1), batch, "NOT_A_RECEIPT", "extractor"));

        // Both reach their terminal stage on the page, live
        wait.until(d -> "WRITTEN".equals(stage(ids.get(0))) && "NOT_A_RECEIPT".equals(stage(ids.get(1))));
        wait.until(d -> d.findElement(By.id("results-section")).isDisplayed());
        wait.until(d -> "All receipts are done.".equals(d.findElement(By.id("connection")).getText()));
        String table = browser.findElement(By.id("results")).getText();
        assertThat(table).contains(VENDOR).contains("$167.61");
        assertThat(table).contains("IMG_1097.png");
        assertThat(browser.findElements(By.cssSelector("#results b"))).isEmpty();

        // Download the TSV
        browser.findElement(By.id("download-tsv")).click();
        Path tsv = downloads.resolve("receipts.tsv");
        wait.until(d -> Files.exists(tsv) && tsv.toFile().length() > 0);
        assertThat(Files.readString(tsv)).isEqualTo(
                TSV);

        // Copy as TSV: the clipboard holds the same text, the formula-like vendor prefixed with '
        browser.findElement(By.id("copy-tsv")).click();
        wait.until(d -> "Copied. Paste it into a spreadsheet.".equals(d.findElement(By.id("copy-status")).getText()));
        assertThat(clipboard()).isEqualTo(TSV).contains("\t'" + VENDOR + "\t");

        Path shot = Path.of("target", "browser-test.png");
        Files.write(shot, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertThat(shot).isNotEmptyFile();
    }

    String activeId() {
        return (String) browser.executeScript("return document.activeElement && document.activeElement.id;");
    }

    /**
     * What the page put on the system clipboard, read back in the page. Headless Chromium keeps a
     * clipboard of its own; the permissions granted in {@link #openBrowser} let the page read it.
     */
    String clipboard() {
        return (String) browser.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "navigator.clipboard.readText().then(done, e => done('clipboard read failed: ' + e));");
    }

    String stage(String receiptId) {
        // Read in one step: the page re-renders the list on every message.
        return (String) browser.executeScript("const e = document.querySelector("
                + "'#progress li[data-receipt=\"' + arguments[0] + '\"] .stage'); return e && e.dataset.stage;", receiptId);
    }

    static String status(String receiptId, String batchId, String stage, String service) {
        return """
                {"receiptId":"%s","batchId":"%s","stage":"%s","detail":"%s by the test","service":"%s","at":"2026-11-28T22:00:05Z"}"""
                .formatted(receiptId, batchId, stage, stage.toLowerCase(), service);
    }
}
