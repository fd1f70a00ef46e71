package io.receiptranger.sheets.rest;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.receiptranger.sheets.Correction;
import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.ReceiptCorrected;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.Normalize;
import io.receiptranger.sheets.ledger.Ledger;

/**
 * The ledger as a table (CONTRACT.md §4): {@code GET /api/receipts} in JSON, TSV or CSV with the
 * original CLI's filters, and {@code GET /api/summary?month=YYYY-MM}. Only written receipts are
 * listed: excluded ones, duplicates and non-receipts never are. {@code POST /api/receipts/lookup}
 * and {@code GET /api/duplicates} answer for one owner by photo ({@link KnownReceipts}).
 * Every query names its {@code owner} and sees only that owner's rows: the ingest passes the signed-in caller, and this API is never
 * reachable from outside the cluster (network policies, no public route).
 */
@Path("/api")
public class ReceiptsResource {

    private final Ledger ledger;
    private final SheetLinks links;
    private final Duration undoWindow;

    /** Without Sheets links and with the default undo window: for tests of the listing alone. */
    public ReceiptsResource(Ledger ledger) {
        this.ledger = ledger;
        this.links = null;
        this.undoWindow = Duration.ofMinutes(10);
    }

    /** The states {@code state=} lists instead of the written receipts. */
    static final List<String> LISTED_STATES = List.of(LedgerEntry.REVIEW, LedgerEntry.FAILED, LedgerEntry.EXCLUDED, LedgerEntry.NOT_A_RECEIPT,
            LedgerEntry.DUPLICATE);

    @jakarta.inject.Inject
    public ReceiptsResource(Ledger ledger, SheetLinks links, SinkConfig config) {
        this.ledger = ledger;
        this.links = links;
        this.undoWindow = config.corrections().undoWindow();
    }

    /**
     * One receipt in the JSON listing; {@code sheetUrl} opens its row in Google Sheets (null without
     * Sheets), {@code state} is {@code WRITTEN} (or the state asked with {@code state=}),
     * {@code lastChange} the owner's latest applied change while it can be undone, {@code reread} a
     * re-read whose values differ from these, waiting for the owner to keep either (null: none).
     */
    public record ReceiptRow(String receiptId, String batchId, String owner, String fileName, String sha256, String amount, String currency,
            String date, String vendor, List<String> categories, String spreadsheetId, String tab, Integer row, String recordedAt,
            String state, String detail, String sheetUrl, int corrections, LastChange lastChange, Correction reread) {
    }

    /** The change an undo would take back, and until when. */
    public record LastChange(String correctionId, String action, String detail, String undoableUntil) {
    }

    /** One receipt with its history of changes (and a change in flight, if any). */
    public record ReceiptDetail(ReceiptRow receipt, List<Correction> history, Correction pending) {
    }

    ReceiptRow row(LedgerEntry e) {
        LastChange last = e.corrections().stream().filter(Correction::applied).filter(c -> ReceiptCorrected.UNDOABLE.contains(c.action()))
                .reduce((a, b) -> b).filter(c -> !ReceiptCorrected.UNDO.equals(c.action()))
                .filter(c -> c.at() != null && c.at().plus(undoWindow).isAfter(Instant.now()))
                .map(c -> new LastChange(c.correctionId(), c.action(), c.detail(), c.at().plus(undoWindow).toString())).orElse(null);
        int applied = (int) e.corrections().stream().filter(Correction::applied).count();
        return new ReceiptRow(e.receiptId(), e.batchId(), e.owner(), e.fileName(), e.sha256(), e.amount(), e.currency(), e.date(), e.vendor(),
                e.categories(), e.spreadsheetId(), e.tab(), e.row(), e.recordedAt() == null ? null : e.recordedAt().toString(),
                e.state(), e.detail(), links == null ? null : links.rowUrl(e), applied, last, e.openReread().orElse(null));
    }

    /** Totals of one category in a month. */
    public record CategoryTotal(String category, int count, String total) {
    }

    /**
     * A month at a glance: every written receipt counted once, under its first category. Amounts in
     * different currencies are never added up: {@code currencies} has the figures per currency, and
     * {@code total} (and a category's total) is null when it would mix currencies.
     */
    public record MonthSummary(String month, int count, String total, List<CategoryTotal> byCategory, List<CurrencySummary> currencies) {
    }

    /** One currency's share of a month ({@code currency} as stored; null when the receipt named none). */
    public record CurrencySummary(String currency, int count, String total, List<CategoryTotal> byCategory) {
    }

    @GET
    @Path("/receipts")
    public Response receipts(@QueryParam("format") String format, @QueryParam("month") String month, @QueryParam("vendor") String vendor,
            @QueryParam("minAmount") String minAmount, @QueryParam("maxAmount") String maxAmount,
            @QueryParam("category") String category, @QueryParam("owner") String owner, @QueryParam("sort") String sort,
            @QueryParam("order") String order, @QueryParam("offset") String offset, @QueryParam("limit") String limit,
            @QueryParam("state") String state, @QueryParam("batchId") String batchId) {
        ReceiptFilter filter = ReceiptFilter.parse(month, vendor, minAmount, maxAmount, category, requiredOwner(owner));
        List<LedgerEntry> all;
        if (state != null && !state.isBlank()) {
            List<String> states = new ArrayList<>();
            for (String one : state.split(",")) {
                String s = one.trim().toUpperCase(java.util.Locale.ROOT);
                if (!LISTED_STATES.contains(s)) {
                    throw new ReceiptFilter.BadFilterException("state can be " + String.join(", ", LISTED_STATES)
                            + " (receipts waiting for review, or not written), not \"" + state + "\"");
                }
                states.add(s);
            }
            // Receipts with no row (held for review, or not written): listed for the review queue and for
            // re-reading, never exported or totalled.
            all = ledger.all().stream().filter(e -> states.contains(e.state()))
                    .filter(e -> filter.owner().isEmpty() || filter.owner().get().equals(e.owner()))
                    .filter(e -> batchId == null || batchId.isBlank() || batchId.equals(e.batchId())).toList();
        } else {
            all = ledger.all().stream().filter(filter).filter(e -> batchId == null || batchId.isBlank() || batchId.equals(e.batchId())).toList();
        }
        List<LedgerEntry> rows = Listing.sorted(all, sort, order);
        List<LedgerEntry> page = Listing.page(rows, offset, limit);
        String f = format == null || format.isBlank() ? "json" : format.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (f) {
            case "json" -> Response.ok(page.stream().map(this::row).toList(), MediaType.APPLICATION_JSON)
                    .header("X-Total-Count", rows.size()).build();
            case "tsv" -> Response.ok(Exports.tsv(page), "text/tab-separated-values; charset=UTF-8").build();
            case "csv" -> Response.ok(Exports.csv(page), "text/csv; charset=UTF-8")
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
        ReceiptFilter filter = ReceiptFilter.parse(month, null, null, null, null, requiredOwner(owner));
        List<LedgerEntry> rows = ledger.all().stream().filter(filter).toList();
        Totals.Group all = Totals.group(rows);
        List<CurrencySummary> currencies = new ArrayList<>();
        Totals.byCurrency(rows).forEach((currency, group) -> currencies.add(new CurrencySummary(currency, group.count(),
                group.total().toPlainString(), categories(group))));
        boolean mixed = currencies.size() > 1;
        List<CategoryTotal> byCategory = new ArrayList<>();
        Totals.byCategory(rows).forEach((category, group) -> byCategory.add(new CategoryTotal(category, group.count(),
                Totals.byCurrency(group.entries()).size() > 1 ? null : group.total().toPlainString())));
        byCategory.sort((a, b) -> a.total() == null || b.total() == null ? 0 : new BigDecimal(b.total()).compareTo(new BigDecimal(a.total())));
        return new MonthSummary(ym.toString(), all.count(), mixed ? null : all.total().toPlainString(), byCategory, currencies);
    }

    private static List<CategoryTotal> categories(Totals.Group group) {
        List<CategoryTotal> out = new ArrayList<>();
        Totals.byCategory(group.entries()).forEach((c, g) -> out.add(new CategoryTotal(c, g.count(), g.total().toPlainString())));
        out.sort((a, b) -> new BigDecimal(b.total()).compareTo(new BigDecimal(a.total())));
        return out;
    }

    /** Month × currency × category totals of the filtered receipts, for the charts (never summed across currencies). */
    public record MonthTotal(String month, String currency, String category, int count, String total) {
    }

    @GET
    @Path("/receipts/totals")
    public List<MonthTotal> totals(@QueryParam("month") String month, @QueryParam("vendor") String vendor,
            @QueryParam("minAmount") String minAmount, @QueryParam("maxAmount") String maxAmount,
            @QueryParam("category") String category, @QueryParam("owner") String owner) {
        ReceiptFilter filter = ReceiptFilter.parse(month, vendor, minAmount, maxAmount, category, requiredOwner(owner));
        List<MonthTotal> out = new ArrayList<>();
        Map<String, List<LedgerEntry>> byMonth = new java.util.TreeMap<>();
        for (LedgerEntry e : ledger.all()) {
            if (filter.test(e)) {
                byMonth.computeIfAbsent(Normalize.date(e.date()).map(d -> YearMonth.from(d).toString()).orElse("undated"),
                        k -> new ArrayList<>()).add(e);
            }
        }
        byMonth.forEach((m, entries) -> Totals.byCurrency(entries).forEach((currency, group) ->
                Totals.byCategory(group.entries()).forEach((c, g) -> out.add(new MonthTotal(m, currency, c, g.count(), g.total().toPlainString())))));
        return out;
    }

    @GET
    @Path("/receipts/{receiptId}")
    public ReceiptDetail receipt(@PathParam("receiptId") String receiptId, @QueryParam("owner") String owner) {
        LedgerEntry e = ledger.get(receiptId)
                .filter(x -> owner == null || owner.isBlank() || owner.equals(x.owner()))
                .orElseThrow(() -> new NotFoundException("There is no receipt " + receiptId + "."));
        return new ReceiptDetail(row(e), e.corrections(), e.pending());
    }
}
