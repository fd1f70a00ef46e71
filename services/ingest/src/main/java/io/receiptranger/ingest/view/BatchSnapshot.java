package io.receiptranger.ingest.view;

import java.time.Instant;
import java.util.List;

/** A batch now: every receipt's stage and, once extracted, its fields; totals by category. */
public record BatchSnapshot(
        String batchId,
        Instant createdAt,
        boolean complete,
        List<ReceiptView> receipts,
        Totals totals) {

    /** Totals of the batch's extracted, non-excluded receipts; each counts under its first category. */
    public record Totals(int count, String total, List<CategoryTotal> byCategory) {
    }

    public record CategoryTotal(String category, int count, String total) {
    }
}
