package io.receiptranger.cli.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.cli.submit.SubmitReport;

/** The original CLI's fixed-width table and cell formats (SEED-SPEC §3.6), and terminal-safe text. */
class TableTest {

    @Test
    void theOriginalsTableHasHeaderDashesAndTwoSpaceColumnsWithAFiveWideBlankOne() {
        Table table = SubmitReport.receiptTable();
        table.row("25.50", "1/20/2026", "", "Taco Cabana", "Food & Restaurants");
        table.row("120.00", "1/5/2026", "", "Corner Shop", "Groceries, Home & Garden");

        assertThat(table.render()).isEqualTo("""
                Amount  Date              Vendor       Category
                ------  ---------  -----  -----------  ------------------------
                25.50   1/20/2026         Taco Cabana  Food & Restaurants
                120.00  1/5/2026          Corner Shop  Groceries, Home & Garden
                """);
    }

    @Test
    void anEmptyTablePrintsNothing() {
        assertThat(SubmitReport.receiptTable().render()).isEmpty();
    }

    @Test
    void rightAlignedColumnsLineUpNumbers() {
        Table table = new Table().column("Category").column("Total", 0, true);
        table.row("Education", "290.26").row("Fees & Services", "55.46");

        assertThat(table.render().lines()).containsExactly(
                "Category          Total",
                "---------------  ------",
                "Education        290.26",
                "Fees & Services   55.46");
    }

    @Test
    void cellsAreFormattedAsTheSheetShowsThem() {
        assertThat(Text.amount("25.5")).isEqualTo("25.50");
        assertThat(Text.amount("7")).isEqualTo("7.00");
        assertThat(Text.amount(null)).isEmpty();
        assertThat(Text.date("2026-02-05")).isEqualTo("2/5/2026");
        assertThat(Text.date(null)).isEmpty();
        assertThat(Text.categories(List.of("Groceries", "Home & Garden"))).isEqualTo("Groceries, Home & Garden");
    }

    @Test
    void textFromElsewhereCannotDriveTheTerminal() {
        String vendor = "Evil\u001b]0;pwned\u0007 Shop\u009b2J\tTab\nLine\u202eRTL";

        assertThat(Text.line(vendor)).isEqualTo("Evil]0;pwned Shop2J Tab LineRTL");
        assertThat(Text.export("a\tb\u001b[31m\r\n")).isEqualTo("a\tb[31m\r\n");
        Table table = new Table().column("Vendor").row(vendor);
        assertThat(table.render()).doesNotContain("\u001b", "\u0007", "\u009b", "\u202e");
    }
}
