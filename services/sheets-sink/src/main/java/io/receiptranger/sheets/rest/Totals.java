package io.receiptranger.sheets.rest;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.Normalize;

/**
 * Counting and adding up receipts: by currency (as stored; a receipt without one is its own group,
 * key null) and by first category ("Uncategorized" without one). Amounts are 2-place decimals; a
 * receipt without an amount counts, adding nothing.
 */
final class Totals {

    static final String UNCATEGORIZED = "Uncategorized";

    record Group(List<LedgerEntry> entries, int count, BigDecimal total) {
    }

    private Totals() {
    }

    static Group group(List<LedgerEntry> entries) {
        BigDecimal total = BigDecimal.ZERO.setScale(2);
        for (LedgerEntry e : entries) {
            total = total.add(Normalize.money(e.amount()).orElse(BigDecimal.ZERO.setScale(2)));
        }
        return new Group(entries, entries.size(), total);
    }

    /** Currency → group, currencies in alphabetical order, null (unknown) last. */
    static Map<String, Group> byCurrency(List<LedgerEntry> entries) {
        Map<String, List<LedgerEntry>> split = new TreeMap<>(java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()));
        for (LedgerEntry e : entries) {
            String currency = e.currency() == null || e.currency().isBlank() ? null : e.currency().trim();
            split.computeIfAbsent(currency, k -> new ArrayList<>()).add(e);
        }
        Map<String, Group> out = new LinkedHashMap<>();
        split.forEach((c, list) -> out.put(c, group(list)));
        return out;
    }

    /** First category → group, in order of first appearance. */
    static Map<String, Group> byCategory(List<LedgerEntry> entries) {
        Map<String, List<LedgerEntry>> split = new LinkedHashMap<>();
        for (LedgerEntry e : entries) {
            String category = e.categories() == null || e.categories().isEmpty() ? UNCATEGORIZED : e.categories().get(0);
            split.computeIfAbsent(category, k -> new ArrayList<>()).add(e);
        }
        Map<String, Group> out = new LinkedHashMap<>();
        split.forEach((c, list) -> out.put(c, group(list)));
        return out;
    }
}
