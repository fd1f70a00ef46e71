package io.receiptranger.extractor.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.ReceiptExtracted.Arithmetic;
import io.receiptranger.extractor.ReceiptExtracted.Outcome;
import io.receiptranger.extractor.ai.ReceiptReading;

class ReadingMapperTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);
    private static final BigDecimal CEILING = new BigDecimal("1000000");

    static ReceiptReading reading(String total, String subtotal, String tax, String tip, String date, String vendor,
            List<String> categories) {
        return new ReceiptReading(true, "", total, subtotal, tax, tip, "USD", date, vendor, categories, List.of("Card"),
                "1234", false, "");
    }

    @Test
    void mapsTheEndToEndReplyToTheContractReceipt() {
        ReadingMapper.Mapped mapped = ReadingMapper.map(
                reading("25.50", "21.00", "1.50", "3.00", "01/20/2026", "Taco Cabana", List.of("Food & Restaurants")),
                TODAY, false, CEILING);

        assertThat(mapped.outcome()).isEqualTo(Outcome.EXTRACTED);
        assertThat(mapped.receipt().total()).isEqualByComparingTo("25.50");
        assertThat(mapped.receipt().total().scale()).isEqualTo(2);
        assertThat(mapped.receipt().date()).isEqualTo(LocalDate.of(2026, 1, 20));
        assertThat(mapped.receipt().categories()).containsExactly("Food & Restaurants");
        assertThat(mapped.receipt().cardLast4()).isEqualTo("1234");
        assertThat(mapped.arithmetic()).isEqualTo(Arithmetic.OK);
    }

    @Test
    void moneyHasTwoPlacesWhateverTheModelWrote() {
        assertThat(Money.parse("25.5")).contains(new BigDecimal("25.50"));
        assertThat(Money.parse("25")).contains(new BigDecimal("25.00"));
        assertThat(Money.parse("$1,204.00")).contains(new BigDecimal("1204.00"));
        assertThat(Money.parse(" 7,50 ")).contains(new BigDecimal("7.50"));
        assertThat(Money.parse("")).isEmpty();
        assertThat(Money.parse("twelve")).isEmpty();
        assertThat(Money.parse("25.5").get().toPlainString()).isEqualTo("25.50");
    }

    @Test
    void negativeOrAbsurdTotalsAreDroppedAsUnknown() {
        assertThat(ReadingMapper.map(reading("-5.00", "", "", "", "", "X", List.of()), TODAY, false, CEILING).receipt()
                .total()).isNull();
        assertThat(ReadingMapper.map(reading("99999999", "", "", "", "", "X", List.of()), TODAY, false, CEILING)
                .receipt().total()).isNull();
    }

    @Test
    void arithmeticChecksSubtotalTaxTipAgainstTotalWithinOneCent() {
        assertThat(ReadingMapper.arithmetic(Money.of("25.50"), Money.of("21.00"), Money.of("1.50"), Money.of("3.00")))
                .isEqualTo(Arithmetic.OK);
        assertThat(ReadingMapper.arithmetic(Money.of("25.51"), Money.of("21.00"), Money.of("1.50"), Money.of("3.00")))
                .isEqualTo(Arithmetic.OK);
        assertThat(ReadingMapper.arithmetic(Money.of("25.53"), Money.of("21.00"), Money.of("1.50"), Money.of("3.00")))
                .isEqualTo(Arithmetic.MISMATCH);
        assertThat(ReadingMapper.arithmetic(Money.of("22.50"), Money.of("21.00"), Money.of("1.50"), null))
                .isEqualTo(Arithmetic.OK);
        assertThat(ReadingMapper.arithmetic(Money.of("22.50"), null, Money.of("1.50"), null))
                .isEqualTo(Arithmetic.UNKNOWN);
        assertThat(ReadingMapper.arithmetic(null, Money.of("1.00"), null, null)).isEqualTo(Arithmetic.UNKNOWN);
    }

    @Test
    void categoriesAreNormalisedWithTheOriginalsAliases() {
        assertThat(Categories.normalise(List.of("Food/restaurants"))).containsExactly("Food & Restaurants");
        assertThat(Categories.normalise(List.of("Random"))).containsExactly("Other");
        assertThat(Categories.normalise(List.of("Random", "Other"))).containsExactly("Other");
        assertThat(Categories.normalise(List.of("food and restaurants"))).containsExactly("Food & Restaurants");
        assertThat(Categories.normalise(List.of("  CLOTHES ", "rent", "entertainment", "HEALTH_MEDICAL", "", " ")))
                .containsExactly("Clothing & Shoes", "Housing & Rent", "Entertainment & Recreation", "Health & Medical");
        assertThat(Categories.labels()).hasSize(23);
    }

    @Test
    void vendorIsTrimmedCleanedAndBounded() {
        assertThat(ReadingMapper.cleanVendor("  Taco\u0000 Cabana\n ")).isEqualTo("Taco Cabana");
        assertThat(ReadingMapper.cleanVendor("x".repeat(500))).hasSize(200);
        assertThat(ReadingMapper.cleanVendor(null)).isEmpty();
    }

    @Test
    void onlyTheLastFourCardDigitsAreEverKept() {
        assertThat(ReadingMapper.cardLast4("4111 1111 1111 1234")).isEqualTo("1234");
        assertThat(ReadingMapper.cardLast4("**** 9876")).isEqualTo("9876");
        assertThat(ReadingMapper.cardLast4("12")).isNull();
        assertThat(ReadingMapper.paymentMethods(List.of("Visa 4111 1111 1111 1234", "Cash", "Cash")))
                .containsExactly("Visa ending 1234", "Cash");
    }

    @Test
    void datesParseFromTheOriginalsFormatsAndAreStoredIso() {
        assertThat(ReceiptDates.parse("01/20/2026")).contains(LocalDate.of(2026, 1, 20));
        assertThat(ReceiptDates.parse("1/5/2026")).contains(LocalDate.of(2026, 1, 5));
        assertThat(ReceiptDates.parse("2026-02-12")).contains(LocalDate.of(2026, 2, 12));
        assertThat(ReceiptDates.parse("02/05/26")).contains(LocalDate.of(2026, 2, 5));
        assertThat(ReceiptDates.parse("02/05/69")).contains(LocalDate.of(1969, 2, 5));
        assertThat(ReceiptDates.parse("02/05/68")).contains(LocalDate.of(2068, 2, 5));
        assertThat(ReceiptDates.parse("02/30/2026")).isEmpty();
        assertThat(ReceiptDates.parse("not-a-date")).isEmpty();
        assertThat(ReceiptDates.parse("")).isEmpty();
    }

    @Test
    void futureDatesAreNotReceiptDates() {
        // SEED-SPEC §8.1: "12/31/2099" is future; "01/01/2020" is not; "" and "not-a-date" are not future.
        assertThat(ReceiptDates.isFuture("12/31/2099", TODAY)).isTrue();
        assertThat(ReceiptDates.isFuture("01/01/2020", TODAY)).isFalse();
        assertThat(ReceiptDates.isFuture("", TODAY)).isFalse();
        assertThat(ReceiptDates.isFuture("not-a-date", TODAY)).isFalse();
        assertThat(ReadingMapper.map(reading("1.00", "", "", "", "12/31/2099", "X", List.of()), TODAY, false, CEILING)
                .receipt().date()).isNull();
        assertThat(ReadingMapper.validDate("11/28/2026", TODAY)).contains(TODAY);
    }

    @Test
    void theCurrentDateForThePromptIsMmDdYyyy() {
        String today = ReceiptDates.forPrompt(LocalDate.of(2026, 1, 5));
        assertThat(today).isEqualTo("01/05/2026").hasSize(10);
        assertThat(today.charAt(2)).isEqualTo('/');
        assertThat(today.charAt(5)).isEqualTo('/');
    }

    @Test
    void anInvalidReceiptIsNotAReceiptWithTheModelsReason() {
        ReceiptReading reading = new ReceiptReading(false, "Image shows a landscape photo, not a receipt", "12.00", "",
                "", "", "", "", "Somewhere", List.of(), List.of(), "", false, "");

        ReadingMapper.Mapped mapped = ReadingMapper.map(reading, TODAY, false, CEILING);

        assertThat(mapped.outcome()).isEqualTo(Outcome.NOT_A_RECEIPT);
        assertThat(mapped.reason()).isEqualTo("Image shows a landscape photo, not a receipt");
        assertThat(mapped.receipt()).isNull();
    }

    @Test
    void exclusionNeedsCriteriaAndCarriesTheReason() {
        ReceiptReading excluded = new ReceiptReading(true, "", "12.00", "", "", "", "USD", "01/20/2026", "Shell",
                List.of("Transportation"), List.of("Card"), "1234", true, "Paid with the card ending 1234");

        assertThat(ReadingMapper.map(excluded, TODAY, true, CEILING).outcome()).isEqualTo(Outcome.EXCLUDED);
        assertThat(ReadingMapper.map(excluded, TODAY, true, CEILING).reason()).isEqualTo("Paid with the card ending 1234");
        assertThat(ReadingMapper.map(excluded, TODAY, true, CEILING).receipt().vendor()).isEqualTo("Shell");
        // No criteria given: the model cannot exclude anything.
        assertThat(ReadingMapper.map(excluded, TODAY, false, CEILING).outcome()).isEqualTo(Outcome.EXTRACTED);
    }

    @Test
    void currencyIsAnIsoCodeOrUnknown() {
        assertThat(ReadingMapper.currency("usd")).isEqualTo("USD");
        assertThat(ReadingMapper.currency("dollars")).isNull();
        assertThat(ReadingMapper.currency("")).isNull();
    }
}
