package io.receiptranger.sheets.rest;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;

/**
 * Sorting and paging of the listing: {@code sort=date|amount|vendor|category|recorded} (default
 * recorded, the ledger's order), {@code order=asc|desc}, {@code offset}/{@code limit} (no limit: all).
 * Receipts without the sorted value go last either way; ties keep the ledger's order.
 */
final class Listing {

    static final int MAX_LIMIT = 500;

    private Listing() {
    }

    static List<LedgerEntry> sorted(List<LedgerEntry> rows, String sort, String order) {
        String by = sort == null || sort.isBlank() ? "recorded" : sort.trim().toLowerCase(Locale.ROOT);
        boolean desc = order != null && order.trim().equalsIgnoreCase("desc");
        if (order != null && !order.isBlank() && !desc && !order.trim().equalsIgnoreCase("asc")) {
            throw new ReceiptFilter.BadFilterException("order must be asc or desc, not \"" + order + "\"");
        }
        Comparator<LedgerEntry> c = switch (by) {
            case "recorded" -> null;
            case "date" -> key(e -> Normalize.date(e.date()).orElse(null), desc);
            case "amount" -> key(e -> Normalize.money(e.amount()).orElse(null), desc);
            case "vendor" -> key(e -> e.vendor() == null || e.vendor().isBlank() ? null : e.vendor().toLowerCase(Locale.ROOT), desc);
            case "category" -> key(e -> e.categories() == null || e.categories().isEmpty() ? null : e.categories().get(0), desc);
            default -> throw new ReceiptFilter.BadFilterException("sort must be date, amount, vendor, category or recorded, not \"" + sort + "\"");
        };
        List<LedgerEntry> out = new ArrayList<>(rows);
        if (c != null) {
            out.sort(c);
        } else if (desc) {
            java.util.Collections.reverse(out);
        }
        return out;
    }

    private static <T extends Comparable<? super T>> Comparator<LedgerEntry> key(java.util.function.Function<LedgerEntry, T> f, boolean desc) {
        Comparator<T> natural = desc ? Comparator.<T>reverseOrder() : Comparator.<T>naturalOrder();
        return Comparator.comparing(f, Comparator.nullsLast(natural));
    }

    static List<LedgerEntry> page(List<LedgerEntry> rows, String offset, String limit) {
        int from = number("offset", offset, 0, Integer.MAX_VALUE);
        if (limit == null || limit.isBlank()) {
            return from == 0 ? rows : rows.subList(Math.min(from, rows.size()), rows.size());
        }
        int size = number("limit", limit, 1, MAX_LIMIT);
        return rows.subList(Math.min(from, rows.size()), Math.min(rows.size(), from + size));
    }

    private static int number(String name, String value, int min, int max) {
        if (value == null || value.isBlank()) {
            return min;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n < min || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ReceiptFilter.BadFilterException(name + " must be a whole number from " + min + " to " + max + ", not \"" + value + "\"");
        }
    }
}
