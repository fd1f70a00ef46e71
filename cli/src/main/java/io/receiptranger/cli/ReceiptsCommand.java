package io.receiptranger.cli;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.ingest.IngestClient;
import io.receiptranger.cli.submit.SubmitReport;
import io.receiptranger.cli.text.Table;
import io.receiptranger.cli.text.Text;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./ranger receipts}: the ledger's written receipts (not excluded, not duplicates) with the
 * original's filters (SEED-SPEC §6.1), as its fixed-width table or as the TSV / CSV / JSON the
 * ledger exports. TSV and CSV are printed exactly as the ledger wrote them (the original's
 * {@code --tsv} layout, CONTRACT.md §4), so they paste into a sheet as they are.
 */
@Command(name = "receipts", header = "The receipts in your ledger, filtered, as a table or TSV/CSV/JSON", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = "List the receipts in your ledger (written ones: not excluded, not duplicates), filtered like the original's --tsv.")
public class ReceiptsCommand implements Callable<Integer> {

    @ParentCommand
    Ranger ranger;

    @Mixin
    IngestOptions ingest;

    @Option(names = "--month", paramLabel = "YYYY-MM", converter = Months.class, description = "Only that month (undated receipts never match).")
    YearMonth month;

    @Option(names = "--vendor", paramLabel = "TEXT", description = "Vendor contains this text (any case).")
    String vendor;

    @Option(names = "--min", paramLabel = "AMOUNT", description = "Total at least this much (inclusive).")
    BigDecimal min;

    @Option(names = "--max", paramLabel = "AMOUNT", description = "Total at most this much (inclusive).")
    BigDecimal max;

    @Option(names = "--category", paramLabel = "NAME", description = "Has this category (a label such as \"Food & Restaurants\", or an alias such as restaurants).")
    String category;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table",
            description = "table (default), tsv (the original's layout, to paste into a sheet), csv or json.")
    Format format;

    @Override
    public Integer call() {
        IngestClient client = ingest.client();
        Map<String, String> query = new LinkedHashMap<>();
        query.put("month", month == null ? null : month.toString());
        query.put("vendor", vendor);
        query.put("minAmount", min == null ? null : min.toPlainString());
        query.put("maxAmount", max == null ? null : max.toPlainString());
        query.put("category", category);
        switch (format) {
            case tsv, csv -> {
                query.put("format", format.name());
                ranger.out().print(Text.export(client.get("/api/receipts", query)));
            }
            case json -> {
                query.put("format", "json");
                ranger.out().println(Reports.pretty(client.getJson("/api/receipts", query)));
            }
            case table -> {
                query.put("format", "json");
                JsonNode rows = client.getJson("/api/receipts", query);
                Table table = SubmitReport.receiptTable();
                rows.forEach(r -> SubmitReport.receiptRow(table, r));
                if (table.isEmpty()) {
                    ranger.err().println(query.values().stream().anyMatch(v -> v != null && !v.equals("json"))
                            ? "No receipts match." : "No stored receipts found.");
                }
                ranger.out().print(table.render());
            }
        }
        ranger.out().flush();
        return 0;
    }
}
