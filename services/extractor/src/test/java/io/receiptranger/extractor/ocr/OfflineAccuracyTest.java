package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.ReceiptExtracted.Outcome;
import io.receiptranger.extractor.rules.ReadingMapper;

/**
 * The offline extractor over the sample receipts (copied from ../shared/receipts with their truth):
 * fails below 80 % exact totals, 70 % exact dates, 60 % vendors (case-insensitive). Needs Debian's
 * tesseract-ocr; the README reports the figures this prints.
 */
class OfflineAccuracyTest {

    private static final BigDecimal CEILING = new BigDecimal("1000000");

    record Row(String file, String expectedTotal, String total, String expectedDate, String date, String expectedVendor,
            String vendor) {
        boolean totalOk() {
            return expectedTotal.equals(total);
        }

        boolean dateOk() {
            return expectedDate.equals(date);
        }

        boolean vendorOk() {
            return expectedVendor.toLowerCase(Locale.ROOT).equals(vendor.toLowerCase(Locale.ROOT));
        }
    }

    @Test
    void offlineExtractionMeetsTheAccuracyFloor() throws Exception {
        // Given the sample receipts (images only: PDFs are turned into images by the ingest)
        JsonNode truth = Json.MAPPER.readTree(resource("truth.json"));
        LocalDate today = LocalDate.parse(truth.get("today").asText());
        OfflineExtractor offline = new OfflineExtractor(new Tesseract("tesseract", Duration.ofSeconds(60)));
        List<Row> rows = new ArrayList<>();
        int nonReceipts = 0;
        int nonReceiptsRecognised = 0;

        // When each is read offline
        for (JsonNode file : truth.get("files")) {
            if (!file.get("contentType").asText().startsWith("image/")) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = resource(file.get("file").asText())) {
                bytes = in.readAllBytes();
            }
            ReadingMapper.Mapped mapped = ReadingMapper.map(offline.read(bytes), today, false, CEILING);
            if (!file.get("isReceipt").asBoolean()) {
                nonReceipts++;
                if (mapped.outcome() == Outcome.NOT_A_RECEIPT) {
                    nonReceiptsRecognised++;
                }
                continue;
            }
            boolean read = mapped.receipt() != null;
            rows.add(new Row(file.get("file").asText(), text(file.get("total")),
                    read && mapped.receipt().total() != null ? mapped.receipt().total().toPlainString() : "",
                    text(file.get("date")), read && mapped.receipt().date() != null ? mapped.receipt().date().toString() : "",
                    text(file.get("vendor")), read ? mapped.receipt().vendor() : ""));
        }

        // Then the rates are at least the floor
        double totals = rate(rows.stream().filter(Row::totalOk).count(), rows.size());
        double dates = rate(rows.stream().filter(Row::dateOk).count(), rows.size());
        double vendors = rate(rows.stream().filter(Row::vendorOk).count(), rows.size());
        System.out.println("| file | total | date | vendor |\n|---|---|---|---|");
        rows.forEach(r -> System.out.printf("| %s | %s %s | %s %s | %s %s |%n", r.file(), r.total(), r.totalOk() ? "✓" : "✗ (" + r.expectedTotal() + ")",
                r.date(), r.dateOk() ? "✓" : "✗ (" + r.expectedDate() + ")", r.vendor(), r.vendorOk() ? "✓" : "✗ (" + r.expectedVendor() + ")"));
        System.out.printf("offline accuracy over %d receipts: totals %.0f %%, dates %.0f %%, vendors %.0f %%; "
                + "non-receipts recognised %d/%d%n", rows.size(), totals, dates, vendors, nonReceiptsRecognised, nonReceipts);
        assertThat(rows).hasSizeGreaterThanOrEqualTo(15);
        assertThat(totals).as("exact totals %").isGreaterThanOrEqualTo(80);
        assertThat(dates).as("exact dates %").isGreaterThanOrEqualTo(70);
        assertThat(vendors).as("vendors %").isGreaterThanOrEqualTo(60);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() ? "" : node.asText();
    }

    private static double rate(long ok, int all) {
        return 100.0 * ok / all;
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OfflineAccuracyTest.class.getResourceAsStream("/receipts/" + name);
        if (in == null) {
            throw new IOException("missing test receipt " + name);
        }
        return in;
    }
}
