package io.receiptranger.extractor.ocr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.ai.ReceiptReading;

class OcrRulesTest {

    @Test
    void theLastTotalWinsOverThePrintedOneAndSubtotalIsNotATotal() {
        ReceiptReading r = OcrRules.read("""
                PHO SAIGON HOUSE
                Date: 10/12/2026 11:45 AM
                SUBTOTAL 13.72
                TAX 9.23% 1.27
                TOTAL $14.99
                CASH 30.00
                TIP 2.50
                TOTAL 17.49
                """);
        assertThat(r.isValidReceipt()).isTrue();
        assertThat(r.total()).isEqualTo("17.49");
        assertThat(r.subtotal()).isEqualTo("13.72");
        assertThat(r.tax()).isEqualTo("1.27");
        assertThat(r.tip()).isEqualTo("2.50");
        assertThat(r.vendor()).isEqualTo("PHO SAIGON HOUSE");
        assertThat(r.date()).isEqualTo("10/12/2026");
        assertThat(r.paymentMethods()).containsExactly("Cash");
    }

    @Test
    void aTipWithoutAReadableFinalTotalIsAddedToThePrintedTotal() {
        ReceiptReading r = OcrRules.read("""
                Copper Kettle Diner
                14 JAN 2026 10:28 AM
                TOTAL $87.02
                MASTERCARD ending 6738 87.02
                trp _ 12.00
                TOTAL
                """);
        assertThat(r.total()).isEqualTo("99.02");
        assertThat(r.date()).isEqualTo("1/14/2026");
        assertThat(r.paymentMethods()).containsExactly("Card");
        assertThat(r.cardLast4()).isEqualTo("6738");
    }

    @Test
    void datesInTheFormatsReceiptsPrint() {
        assertThat(OcrRules.read("X Shop\nDate: @5 OCT 2025 1:49 PM\nTOTAL 1.00").date()).isEqualTo("10/5/2025");
        assertThat(OcrRules.read("X Shop\n2026-09-28 1:11 PM\nTOTAL 1.00").date()).isEqualTo("2026-09-28");
        assertThat(OcrRules.read("X Shop\nTOTAL 1.00").date()).isEmpty();
    }

    @Test
    void textWithoutATotalIsNotAReceipt() {
        ReceiptReading r = OcrRules.read("Quarterly Revenue 2022\nQ1 Q2 Q3 Q4");
        assertThat(r.isValidReceipt()).isFalse();
        assertThat(r.validationError()).contains("offline OCR");
    }

    @Test
    void aMaskedCardNumberGivesOnlyItsLastFourDigits() {
        assertThat(OcrRules.read("Shop\nTOTAL 5.00\nVISA ****1234 5.00").cardLast4()).isEqualTo("1234");
    }

    @Test
    void missingTesseractIsReportedWithTheInstallCommand() {
        OfflineExtractor offline = new OfflineExtractor(new Tesseract("/nonexistent/tesseract", Duration.ofSeconds(5)));

        assertThatThrownBy(() -> offline.read(io.receiptranger.extractor.it.TestImages.png(40, 30)))
                .isInstanceOf(TesseractMissingException.class)
                .hasMessageContaining("apt-get install -y tesseract-ocr tesseract-ocr-eng");
    }
}
