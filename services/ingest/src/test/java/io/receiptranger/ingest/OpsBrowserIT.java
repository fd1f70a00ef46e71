package io.receiptranger.ingest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.ingest.ops.DeadLetters;
import io.receiptranger.kafkalocal.KafkaLocalResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * The ops view in headless Chromium, in the style of {@link BrowserIT}: a receipt the extractor
 * dead-lettered (the test plays the extractor on the real broker) shows in the last hour's stages
 * and in the dead-letter table; its Replay button puts the record back on {@code receipts} and the
 * receipt, FAILED until then, is QUEUED again.
 */
@QuarkusTest
@QuarkusTestResource(value = KafkaLocalResource.class, restrictToAnnotatedClass = true)
class OpsBrowserIT {

    static final String REASON = "The model provider answered 503; gave up after 2 attempts (retry budget 3 s, at most 2 attempts).";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    ChromeDriver browser;
    KafkaTestClient kafka;

    @BeforeEach
    void openBrowser() throws Exception {
        browser = Chromium.start();
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
    void an_operator_sees_a_dead_lettered_receipt_and_replays_it_from_the_page() {
        // Given an uploaded receipt that the extractor ended FAILED and dead-lettered
        Response upload = given().contentType("multipart/form-data")
                .multiPart("files", "receipt-5423.jpg", TestFiles.bytes("receipt-5423.jpg"), "image/jpeg")
                .post("/api/batches").then().statusCode(202).extract().response();
        String batchId = upload.path("batchId");
        String receiptId = upload.path("accepted[0].receiptId");
        ConsumerRecord<String, String> submitted = await().atMost(Duration.ofSeconds(30)).until(
                () -> kafka.readAll("receipts").stream().filter(r -> receiptId.equals(r.key())).findFirst().orElse(null),
                r -> r != null);
        kafka.send("receipt-status", receiptId, """
                {"receiptId":"%s","batchId":"%s","stage":"FAILED","detail":"%s","service":"extractor","at":"%s"}"""
                .formatted(receiptId, batchId, REASON, Instant.now()));
        kafka.send("receipts-dlq", receiptId, submitted.value(), Map.of("dead-letter-reason", REASON,
                "dead-letter-topic", "receipts", "dead-letter-partition", String.valueOf(submitted.partition()),
                "dead-letter-offset", String.valueOf(submitted.offset())));
        await().atMost(Duration.ofSeconds(30)).until(() -> "FAILED".equals(given().get("/api/batches/" + batchId).path("receipts[0].stage")));

        // When the operator opens the ops view
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        browser.get("http://localhost:" + RestAssured.port + "/");
        wait.until(d -> d.findElement(By.id("ops-section")).isDisplayed());
        browser.findElement(By.cssSelector("#ops summary")).click();

        // Then the last hour shows the receipt received and failed, the model's failure, and the dead letter with its reason
        wait.until(d -> d.findElements(By.cssSelector("#ops-dlq tbody tr[data-id]")).size() == 1);
        // (the stage table and the dead letters come from two requests of one refresh: wait for both)
        wait.until(d -> "1".equals(d.findElement(By.cssSelector("#ops-stages tr[data-stage='RECEIVED'] td.num")).getText()));
        wait.until(d -> "1".equals(d.findElement(By.cssSelector("#ops-stages tr[data-stage='FAILED'] td.num")).getText()));
        assertThat(browser.findElement(By.id("ops-model")).getText()).contains("1 failed in the last hour", "gave up after 2 attempts");
        String row = browser.findElement(By.cssSelector("#ops-dlq tbody tr[data-id]")).getText();
        assertThat(row).contains(receiptId, "extractor", REASON);

        // When they press Replay
        browser.findElement(By.cssSelector("#ops-dlq tbody tr[data-id] button")).click();

        // Then the page says so, the record is back on receipts marked as replayed, and the receipt is QUEUED again
        wait.until(d -> d.findElement(By.id("ops-replay-status")).getText().startsWith("Replayed 1."));
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.readAll("receipts").stream()
                .filter(r -> receiptId.equals(r.key()) && r.headers().lastHeader(DeadLetters.REPLAYED_FROM) != null).count() == 1);
        ConsumerRecord<String, String> replayed = kafka.readAll("receipts").stream()
                .filter(r -> r.headers().lastHeader(DeadLetters.REPLAYED_FROM) != null).findFirst().orElseThrow();
        assertThat(replayed.value()).isEqualTo(submitted.value());
        assertThat(new String(replayed.headers().lastHeader(DeadLetters.REPLAYED_FROM).value(), StandardCharsets.UTF_8))
                .startsWith("receipts-dlq:");
        await().atMost(Duration.ofSeconds(30)).until(() -> "QUEUED".equals(given().get("/api/batches/" + batchId).path("receipts[0].stage")));

        // And a second press is refused with the reason, not a second record
        kafka.send("receipt-status", receiptId, """
                {"receiptId":"%s","batchId":"%s","stage":"WRITTEN","detail":"written","service":"sheets-sink","at":"%s"}"""
                .formatted(receiptId, batchId, Instant.now()));
        await().atMost(Duration.ofSeconds(30)).until(() -> "WRITTEN".equals(given().get("/api/batches/" + batchId).path("receipts[0].stage")));
        browser.findElement(By.cssSelector("#ops-dlq tbody tr[data-id] button")).click();
        wait.until(d -> d.findElement(By.id("ops-replay-status")).getText().contains("already reached WRITTEN"));
        assertThat(kafka.readAll("receipts").stream().filter(r -> receiptId.equals(r.key())).count()).isEqualTo(2);
    }
}
