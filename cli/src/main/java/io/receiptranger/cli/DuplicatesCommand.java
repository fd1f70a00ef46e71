package io.receiptranger.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.text.Table;
import io.receiptranger.cli.text.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./ranger duplicates}: the receipts that were not written because the same date + amount +
 * vendor was already there (SEED-SPEC §2.4, §4.5), each with the written receipt it repeats.
 */
@Command(name = "duplicates", header = "The receipts not written as duplicates, and what they repeat", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "The receipts not written because the same date, amount and vendor was already written, and which one they repeat.")
public class DuplicatesCommand implements Callable<Integer> {

    @ParentCommand
    Ranger ranger;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", description = "table (default) or json.")
    Format format;

    @Override
    public Integer call() {
        if (format == Format.tsv || format == Format.csv) {
            throw new picocli.CommandLine.ParameterException(ingest.command.commandLine(), "duplicates prints a table or json");
        }
        JsonNode duplicates = ingest.client().getJson("/api/duplicates", Map.of());
        if (format == Format.json) {
            ranger.out().println(Reports.pretty(duplicates));
            return 0;
        }
        Table table = new Table().column("File").column("Amount").column("Date").column("Vendor").column("Duplicate of").column("Why");
        duplicates.forEach(d -> table.row(d.path("fileName").asText(""), Text.amount(d.path("amount").asText(null)),
                Text.date(d.path("date").asText(null)), d.path("vendor").asText(""),
                d.path("duplicateOf").path("fileName").asText(d.path("duplicateOf").path("receiptId").asText("")),
                d.path("detail").asText("")));
        if (table.isEmpty()) {
            ranger.err().println("No duplicates.");
        }
        ranger.out().print(table.render());
        ranger.out().flush();
        return 0;
    }
}
