package io.receiptranger.sheets.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.sheets.LedgerEntry;

/** The original CLI's table filters and exports (SEED-SPEC §6.1, §3.6; CONTRACT.md §4). */
class ReceiptFilterTest {

    static final LedgerEntry TACO = entry("r-1", "WRITTEN", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants");
    static final LedgerEntry SHOP = entry("r-2", "WRITTEN", "120.00", "2026-01-05", "Corner Shop", "Groceries", "Home & Garden");
    static final LedgerEntry FEB = entry("r-3", "WRITTEN", "9.99", "2026-02-01", "Taco Bell", "Food & Restaurants");
    static final LedgerEntry UNDATED = entry("r-4", "WRITTEN", "4.00", null, "Kiosk", "Other");
    static final LedgerEntry DUP = entry("r-5", "DUPLICATE", "25.50", "2026-01-20", "Taco Cabana", "Food & Restaurants");
    static final LedgerEntry EXCLUDED = entry("r-6", "EXCLUDED", "30.00", "2026-01-21", "Secret", "Other");
    static final LedgerEntry NO_AMOUNT = entry("r-7", "WRITTEN", null, "2026-01-22", "Mystery", "Other");
    static final List<LedgerEntry> ALL = List.of(TACO, SHOP, FEB, UNDATED, DUP, EXCLUDED, NO_AMOUNT);

    static LedgerEntry entry(String id, String state, String amount, String date, String vendor, String... categories) {
        return new LedgerEntry(id, "b", "default", state, null, null, amount, "USD", date, vendor, List.of(categories), null,
                date == null ? "Unknown Date" : "x", null, "", null, Instant.parse("2026-11-28T22:00:00Z"), null);
    }

    static List<String> ids(String month, String vendor, String min, String max, String category) {
        ReceiptFilter filter = ReceiptFilter.parse(month, vendor, min, max, category, null);
        return ALL.stream().filter(filter).map(LedgerEntry::receiptId).toList();
    }

    @Test
    void withoutFiltersOnlyWrittenReceiptsAreListed() {
        assertThat(ids(null, null, null, null, null)).containsExactly("r-1", "r-2", "r-3", "r-4", "r-7");
    }

    @Test
    void monthKeepsThatMonthAndDropsUndated() {
        assertThat(ids("2026-01", null, null, null, null)).containsExactly("r-1", "r-2", "r-7");
    }

    @Test
    void vendorIsACaseInsensitiveSubstring() {
        assertThat(ids(null, "TACO", null, null, null)).containsExactly("r-1", "r-3");
    }

    @Test
    void amountBoundsAreInclusiveAndDropReceiptsWithoutAnAmount() {
        assertThat(ids(null, null, "9.99", "25.50", null)).containsExactly("r-1", "r-3");
        assertThat(ids(null, null, "100", null, null)).containsExactly("r-2");
    }

    @Test
    void categoryAcceptsAliasesAndMatchesAnyOfTheReceiptsCategories() {
        assertThat(ids(null, null, null, null, "restaurants")).containsExactly("r-1", "r-3");
        assertThat(ids(null, null, null, null, "HOME_GARDEN")).containsExactly("r-2");
    }

    @Test
    void filtersCombine() {
        assertThat(ids("2026-01", "taco", "20", null, "Food & Restaurants")).containsExactly("r-1");
    }

    @Test
    void badValuesAreExplained() {
        assertThatThrownBy(() -> ReceiptFilter.parse("2026-13", null, null, null, null, null))
                .hasMessage("month must look like 2026-01 (year and month), not \"2026-13\"");
        assertThatThrownBy(() -> ReceiptFilter.parse(null, null, "ten", null, null, null))
                .hasMessage("minAmount must be a number such as 25.50, not \"ten\"");
        assertThatThrownBy(() -> ReceiptFilter.parse(null, null, null, null, "Snacks", null))
                .hasMessageStartingWith("Invalid category: Snacks. Choose from: Food & Restaurants, Groceries,");
    }

    @Test
    void tsvHasTheOriginalLayout() {
        assertThat(Exports.tsv(List.of(TACO, SHOP, UNDATED))).isEqualTo("""
                Amount\tDate\t\tVendor\tCategory
                25.50\t1/20/2026\t\tTaco Cabana\tFood & Restaurants
                120.00\t1/5/2026\t\tCorner Shop\tGroceries, Home & Garden
                4.00\t\t\tKiosk\tOther
                """);
    }

    @Test
    void exportsNeutraliseFormulasAndFlattenLineBreaks() {
        LedgerEntry evil = entry("r-9", "WRITTEN", "-5.00", "2026-01-02", "=HYPERLINK(\"http://x\",\"y\")", "+cmd", "@SUM(1)");
        LedgerEntry multiline = entry("r-10", "WRITTEN", "1", "2026-01-02", "Line\tone\r\ntwo", "-minus");

        assertThat(Exports.tsv(List.of(evil, multiline)).lines().skip(1)).containsExactly(
                "-5.00\t1/2/2026\t\t'=HYPERLINK(\"http://x\",\"y\")\t'+cmd, @SUM(1)",
                "1.00\t1/2/2026\t\tLine one two\t'-minus");
    }

    @Test
    void csvQuotesWhatNeedsQuoting() {
        assertThat(Exports.csv(List.of(SHOP, entry("r-11", "WRITTEN", "1", "2026-01-02", "Joe's \"Diner\", Inc", "Other"))))
                .isEqualTo("Amount,Date,,Vendor,Category\r\n120.00,1/5/2026,,Corner Shop,\"Groceries, Home & Garden\"\r\n"
                        + "1.00,1/2/2026,,\"Joe's \"\"Diner\"\", Inc\",Other\r\n");
    }
}
