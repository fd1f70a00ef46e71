package io.receiptranger.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The original's {@code tests/test_sheets.py} (SEED-SPEC §8.3) and the Sheets parts of §8.2, restated. */
class NormalizeTest {

    @ParameterizedTest(name = "{0} is shown {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "02/12/2026|2/12/2026", "12/05/2026|12/5/2026", "02/05/2026|2/5/2026", "2/6/2026|2/6/2026",
            "2026-02-12|2/12/2026", "02/05/26|2/5/2026", "''|''", "not-a-date|not-a-date", "12/31/2026|12/31/2026"})
    void datesAreShownWithoutLeadingZeros(String input, String shown) {
        assertThat(Normalize.sheetDate(input)).isEqualTo(shown);
    }

    @Test
    void aDatedRowGivesItsKey() {
        assertThat(RowKey.fromRow(row("25.5", "1/20/2026", "", "Walmart", "Groceries")))
                .contains(new RowKey("2026-01-20", "25.50", "walmart"));
    }

    @Test
    void aBlankDateRowIsTrackedAsUndated() {
        assertThat(RowKey.fromRow(row("25.5", "", "", "Walmart"))).contains(new RowKey("", "25.50", "walmart"));
    }

    @Test
    void datedAndUndatedRowsOfTheSameVendorAndAmountAreDistinct() {
        assertThat(RowKey.fromRow(row("25.5", "1/20/2026", "", "Walmart")))
                .isNotEqualTo(RowKey.fromRow(row("25.5", "", "", "Walmart")));
    }

    @Test
    void casingAndWhitespaceVariantsCollapseToOneKey() {
        assertThat(RowKey.fromRow(row("25.5", "1/20/2026", "", "WALMART")))
                .isEqualTo(RowKey.fromRow(row("25.5", "1/20/2026", "", "  walmart ")))
                .isEqualTo(RowKey.fromRow(row("25.50", "01/20/2026", "", "Walmart")));
        assertThat(RowKey.fromRow(row("9.99", "1/2/2026", "", "BaanThai Thai Cuisine")))
                .isEqualTo(RowKey.fromRow(row("9.99", "1/2/2026", "", "  BAANTHAI   THAI CUISINE ")));
    }

    @Test
    void rowsMissingTheAmountOrTheVendorAreSkipped() {
        assertThat(RowKey.fromRow(row("", "1/20/2026", "", "Walmart"))).isEmpty();
        assertThat(RowKey.fromRow(row("25.5", "1/20/2026", "", ""))).isEmpty();
        assertThat(RowKey.fromRow(row("25.5", "1/20/2026"))).isEmpty();
        assertThat(RowKey.fromRow(row("0", "1/20/2026", "", "Walmart"))).isEmpty();
    }

    @Test
    void aHeaderRowWithAnyLayoutIsNotAReceipt() {
        assertThat(RowKey.fromRow(row("Amount", "Date", "", "Vendor", "Category"))).isEmpty();
        assertThat(RowKey.fromRow(row("Amount", "", "", "", "", ""))).isEmpty();
    }

    @Test
    void vendorNormaliserCasefoldsCollapsesAndTrims() {
        assertThat(Normalize.vendor("Test STORE")).isEqualTo("test store");
        assertThat(Normalize.vendor("Test    Store")).isEqualTo("test store");
        assertThat(Normalize.vendor("  Test Store  ")).isEqualTo("test store");
        assertThat(Normalize.vendor(" TEST\tstore")).isEqualTo(Normalize.vendor("test Store"));
        assertThat(Normalize.vendor("Straße")).isEqualTo(Normalize.vendor("STRASSE"));
        assertThat(Normalize.vendor(null)).isEmpty();
        assertThat(Normalize.vendor(123)).isEqualTo("123");
    }

    @ParameterizedTest(name = "{0} compares as 25.50")
    @CsvSource({"25.5", "25.50", "'$25.50'", "' 25.5 '"})
    void amountsCompareAsTwoPlaceDecimals(String amount) {
        assertThat(Normalize.amountKey(amount)).isEqualTo("25.50");
    }

    @Test
    void wholeAmountsCollideWhateverTheirForm() {
        assertThat(List.of("25", "25.0", "25.00").stream().map(Normalize::amountKey)).containsOnly("25.00");
        assertThat(Normalize.amountKey("$1,234.5")).isEqualTo("1234.50");
    }

    @Test
    void anUnparseableAmountFallsBackToTheTrimmedText() {
        assertThat(Normalize.amountKey(" twelve ")).isEqualTo("twelve");
    }

    @Test
    void theIncomingReceiptAndTheExistingRowBuildTheSameKey() {
        RowKey incoming = RowKey.of("2026-01-20", "25.5", "Test Store");
        RowKey existing = RowKey.fromRow(row("25.50", "1/20/2026", "", "TEST STORE", "Groceries")).orElseThrow();

        assertThat(incoming).isEqualTo(existing);
        assertThat(incoming).isNotEqualTo(RowKey.of("2026-01-20", "25.5", "Other Store"));
    }

    @ParameterizedTest(name = "{0} goes to {1}")
    @CsvSource(delimiter = '|', emptyValue = "", value = {
            "01/20/2026|January 2026", "2026-02-12|February 2026", "|Unknown Date", "not-a-date|Unknown Date"})
    void receiptsAreRoutedToTheirMonthTab(String date, String tab) {
        assertThat(Normalize.tab(date)).isEqualTo(tab);
    }

    @Test
    void categoriesAcceptLabelsEnumNamesAndAliases() {
        assertThat(Categories.canonical("restaurants")).contains("Food & Restaurants");
        assertThat(Categories.canonical("FOOD_RESTAURANTS")).contains("Food & Restaurants");
        assertThat(Categories.canonical("  food   and restaurants ")).contains("Food & Restaurants");
        assertThat(Categories.canonical("clothes")).contains("Clothing & Shoes");
        assertThat(Categories.canonical("Rent")).contains("Housing & Rent");
        assertThat(Categories.canonical("entertainment")).contains("Entertainment & Recreation");
        assertThat(Categories.canonical("Random")).isEmpty();
        assertThat(Categories.LABELS).hasSize(23);
    }

    private static List<Object> row(Object... cells) {
        return Arrays.asList(cells);
    }
}
