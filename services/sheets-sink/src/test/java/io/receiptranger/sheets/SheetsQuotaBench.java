package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * Benchmark, not a test (run with {@code ./mvnw -pl services/sheets-sink verify -Pbench}): rows per
 * minute the packaged sink sustains when Google allows 60 writes and 60 reads a minute. Prints one
 * line {@code BENCH …} and asserts only that every row landed once.
 * {@code -Dbench.receipts=N} sets the load (default 6000).
 */
class SheetsQuotaBench {

    static final String SHEET = "bench-sheet";

    @Test
    void rowsPerMinuteUnderSixtyWritesPerMinute() throws Exception {
        int receipts = Integer.getInteger("bench.receipts", 6000);
        try (KafkaLocalProcess broker = KafkaLocalProcess.start();
                KafkaProbe kafka = new KafkaProbe(broker.bootstrapServers());
                FakeSheets fake = FakeSheets.start()) {
            fake.createSpreadsheet(SHEET);
            fake.limitWrites(60, Duration.ofMinutes(1));
            fake.limitReads(60, Duration.ofMinutes(1));
            Map<String, String> env = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers(),
                    "GOOGLE_SHEETS_SPREADSHEET_ID", SHEET,
                    "GOOGLE_SHEETS_CREDENTIALS", Base64.getEncoder().encodeToString(
                            FakeSheets.serviceAccountJson("bench@bench.iam.gserviceaccount.com", fake.tokenUri()).getBytes(StandardCharsets.UTF_8)),
                    "GOOGLE_SHEETS_ROOT_URL", fake.baseUrl() + "/");
            Map<String, String> records = new LinkedHashMap<>();
            for (int i = 0; i < receipts; i++) {
                String date = "2026-0" + (1 + i % 3) + "-" + String.format("%02d", 1 + i % 28);
                records.put("bench-" + i, """
                        {"receiptId":"bench-%d","owner":"default","outcome":"EXTRACTED","receipt":{"total":"%d.%02d","date":"%s",
                         "vendor":"Bench Vendor %d","categories":["Other"]},"extractedAt":"2026-11-28T22:00:00Z"}"""
                        .formatted(i, 1 + i % 500, i % 100, date, i));
            }
            try (SinkProcess sink = SinkProcess.start(env, "bench-sink")) {
                long start = System.nanoTime();
                kafka.sendAll("extractions", records);
                await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofSeconds(1)).until(() -> rows(fake) >= receipts);
                double minutes = (System.nanoTime() - start) / 60e9;
                String result = String.format("BENCH receipts=%d minutes=%.2f rowsPerMinute=%.0f writeRequests=%d readRequests=%d quota429=%d",
                        receipts, minutes, receipts / minutes, fake.writeRequests(), fake.readRequests(), fake.quotaRejections());
                System.out.println(result);
                java.nio.file.Files.writeString(java.nio.file.Path.of("target", "bench-result.txt"), result + System.lineSeparator());
                assertThat(rows(fake)).isEqualTo(receipts);
            }
        }
    }

    private static int rows(FakeSheets fake) {
        int rows = 0;
        for (String tab : fake.tabs(SHEET)) {
            if (!tab.equals("Sheet1")) {
                rows += fake.formattedRows(SHEET, tab).size() - 1;
            }
        }
        return rows;
    }
}
