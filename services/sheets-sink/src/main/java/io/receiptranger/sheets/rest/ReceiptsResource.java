package io.receiptranger.sheets.rest;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.ledger.Ledger;

/**
 * The ledger as a table (CONTRACT.md §4): {@code GET /api/receipts} in JSON, TSV or CSV with the
 * original CLI's filters, and {@code GET /api/summary?month=YYYY-MM}. Only written receipts are
 * listed: excluded ones, duplicates and non-receipts never are. {@code POST /api/receipts/lookup}
 * and {@code GET /api/duplicates} answer for one owner by photo ({@link KnownReceipts}).
 */
@Path("/api")
public class ReceiptsResource {

    private final Ledger ledger;

    public ReceiptsResource(Ledger ledger) {
        this.ledger = ledger;
    }

    /** One receipt in the JSON listing. */
    public record ReceiptRow(String receiptId, String batchId, String owner, String fileName, String sha256, String amount, String currency,
            String date, String vendor, List<String> categories, String spreadsheetId, String tab, Integer row, String recordedAt) {

        static ReceiptRow of(LedgerEntry e) {
            return new ReceiptRow(e.receiptId(), e.batchId(), e.owner(), e.fileName(), e.sha256(), e.amount(), e.currency(), e.date(), e.vendor(),
                    e.categories(), e.spreadsheetId(), e.tab(), e.row(), e.recordedAt() == null ? null : e.recordedAt().toString());
        }
    }

    /** Totals of one category in a month. */
    public record CategoryTotal(String category, int count, String total) {
    }

    /** A month at a glance: every written receipt counted once, under its first category. */
    public record MonthSummary(String month, int count, String total, List<CategoryTotal> byCategory) {
    }

    @GET
    @Path("/receipts")
    public Response receipts(@QueryParam("format") String format, @QueryParam("month") String month, @QueryParam("vendor") String vendor,
            @QueryParam("minAmount") String minAmount, @QueryParam("maxAmount") String maxAmount,
            @QueryParam("category") String category, @QueryParam("owner") String owner) {
        ReceiptFilter filter = ReceiptFilter.parse(month, vendor, minAmount, maxAmount, category, owner);
        List<LedgerEntry> rows = ledger.all().stream().filter(filter).toList();
        String f = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (f) {
            case "json" -> Response.ok(rows.stream().map(ReceiptRow::of).toList(), MediaType.APPLICATION_JSON).build();
            case "tsv" -> Response.ok(Exports.tsv(rows), "text/tab-separated-values; charset=UTF-8").build();
            case "csv" -> Response.ok(Exports.csv(rows), "text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"receipts.csv\"").build();
            default -> throw new ReceiptFilter.BadFilterException("format must be json, tsv or csv, not \"" + format + "\"");
        };
    }

    /** The body of a lookup: the photos' hashes (hex SHA-256 of the original bytes). */
    public record HashQuery(List<String> sha256) {
    }

    /** The answer of a lookup: the hashes the owner's ledger knows; the others are new. */
    public record HashAnswer(List<KnownReceipts.Known> found) {
    }

    @POST
    @Path("/receipts/lookup")
    @Consumes(MediaType.APPLICATION_JSON)
    public HashAnswer lookup(@QueryParam("owner") String owner, HashQuery query) {
        return new HashAnswer(KnownReceipts.lookup(ledger.all(), requiredOwner(owner), KnownReceipts.hashes(query == null ? null : query.sha256())));
    }

    @GET
    @Path("/duplicates")
    public List<KnownReceipts.Duplicate> duplicates(@QueryParam("owner") String owner) {
        return KnownReceipts.duplicates(ledger.all(), requiredOwner(owner));
    }

    private static String requiredOwner(String owner) {
        if (owner == null || owner.isBlank()) {
            throw new ReceiptFilter.BadFilterException("owner is required (the ingest sets it from the caller)");
        }
        return owner.trim();
    }

    @GET
    @Path("/summary")
    public MonthSummary summary(@QueryParam("month") String month, @QueryParam("owner") String owner) {
        if (month == null || month.isBlank()) {
            throw new ReceiptFilter.BadFilterException("month is required, like ?month=2026-01");
        }
        YearMonth ym = ReceiptFilter.month(month).orElseThrow();
        ReceiptFilter filter = ReceiptFilter.parse(month, null, null, null, null, owner);
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        Map<String, BigDecimal> totals = new LinkedHashMap<>();
        Map<String, Integer> counts = new LinkedHashMap<>();
        int count = 0;
        for (LedgerEntry e : ledger.all()) {
            if (!filter.test(e)) {
                continue;
            }
            BigDecimal amount = Normalize.money(e.amount()).orElse(BigDecimal.ZERO.setScale(2));
            String category = e.categories() == null || e.categories().isEmpty() ? "Uncategorized" : e.categories().get(0);
            total = total.add(amount);
            totals.merge(category, amount, BigDecimal::add);
            counts.merge(category, 1, Integer::sum);
            count++;
        }
        List<CategoryTotal> byCategory = new ArrayList<>();
        totals.forEach((c, t) -> byCategory.add(new CategoryTotal(c, counts.get(c), t.toPlainString())));
        byCategory.sort((a, b) -> new BigDecimal(b.total()).compareTo(new BigDecimal(a.total())));
        return new MonthSummary(ym.toString(), count, total.toPlainString(), byCategory);
    }
}
