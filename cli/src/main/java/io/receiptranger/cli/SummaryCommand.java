package io.receiptranger.cli;

import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.text.Table;
import io.receiptranger.cli.text.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code ./ranger summary --month YYYY-MM}: a month's count and total, and the totals by category (CONTRACT.md §4). */
@Command(name = "summary", header = "A month's count, total and totals by category", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "A month at a glance: how many receipts, their total, and the totals by category (each receipt under its first).")
public class SummaryCommand implements Callable<Integer> {

    private static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("MMMM yyyy", Locale.ENGLISH);

    @ParentCommand
    Ranger ranger;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--month", required = true, paramLabel = "YYYY-MM", converter = Months.class, description = "The month.")
    YearMonth month;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    Format format;

    @Override
    public Integer call() {
        if (format == Format.tsv || format == Format.csv) {
            throw new picocli.CommandLine.ParameterException(ingest.command.commandLine(), "summary prints a table or json");
        }
        JsonNode summary = ingest.client().getJson("/api/summary", Map.of("month", month.toString()));
        if (format == Format.json) {
            ranger.out().println(Reports.pretty(summary));
            return 0;
        }
        int count = summary.path("count").asInt();
        ranger.out().println(month.format(MONTH) + ": " + count + " " + (count == 1 ? "receipt" : "receipts") + ", total "
                + Text.amount(summary.path("total").asText("0")));
        Table table = new Table().column("Category").column("Receipts", 0, true).column("Total", 0, true);
        summary.path("byCategory").forEach(c -> table.row(c.path("category").asText(), c.path("count").asText(),
                Text.amount(c.path("total").asText())));
        if (!table.isEmpty()) {
            ranger.out().println();
            ranger.out().print(table.render());
        }
        ranger.out().flush();
        return 0;
    }
}
