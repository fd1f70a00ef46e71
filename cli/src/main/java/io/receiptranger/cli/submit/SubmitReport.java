package io.receiptranger.cli.submit;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.text.Table;
import io.receiptranger.cli.text.Text;

/**
 * The end of a run: how many photos ended each way (written / duplicate / not a receipt / excluded /
 * failed), why each one that was not written was not, and the written receipts as the original's
 * table (SEED-SPEC §6.2 step 12).
 */
public final class SubmitReport {

    private SubmitReport() {
    }

    public static Map<Outcome, Integer> counts(List<Result> results) {
        Map<Outcome, Integer> counts = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counts.put(o, 0);
        }
        results.forEach(r -> counts.merge(r.outcome(), 1, Integer::sum));
        return counts;
    }

    public static String render(List<Result> results) {
        StringBuilder out = new StringBuilder();
        Table summary = new Table().column("Outcome").column("Photos", 0, true);
        counts(results).forEach((outcome, n) -> summary.row(outcome.label(), String.valueOf(n)));
        out.append(summary.render());

        Table why = new Table().column("File").column("Outcome").column("Why");
        results.stream().filter(r -> r.outcome() != Outcome.WRITTEN)
                .forEach(r -> why.row(r.photo().name(), r.outcome().label(), r.detail() == null ? "" : r.detail()));
        if (!why.isEmpty()) {
            out.append('\n').append(why.render());
        }

        Table written = receiptTable();
        results.stream().filter(r -> r.outcome() == Outcome.WRITTEN).forEach(r -> receiptRow(written, r.receipt()));
        if (!written.isEmpty()) {
            out.append('\n').append(written.render());
        }
        return out.toString();
    }

    /** The original's table columns: Amount | Date | (blank, 5 wide) | Vendor | Category. */
    public static Table receiptTable() {
        return new Table().column("Amount").column("Date").column("", 5, false).column("Vendor").column("Category");
    }

    /** One receipt's fields (as in the progress messages and the ledger's JSON) as a row of that table. */
    public static void receiptRow(Table table, JsonNode receipt) {
        if (receipt == null) {
            table.row("", "", "", "", "");
            return;
        }
        String amount = receipt.hasNonNull("total") ? receipt.path("total").asText() : receipt.path("amount").asText(null);
        List<String> categories = new java.util.ArrayList<>();
        receipt.path("categories").forEach(c -> categories.add(c.asText()));
        table.row(Text.amount(amount), Text.date(receipt.path("date").asText(null)), "", receipt.path("vendor").asText(""),
                Text.categories(categories));
    }
}
