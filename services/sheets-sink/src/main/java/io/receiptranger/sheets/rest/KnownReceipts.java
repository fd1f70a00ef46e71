package io.receiptranger.sheets.rest;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.RowKey;

/**
 * What one owner's ledger already knows by photo (CONTRACT.md §4): "which of these SHA-256 hashes
 * have I sent before, and how did each end", and "which of my receipts were duplicates, of what".
 * A hash counts as known once its receipt ended WRITTEN, DUPLICATE, EXCLUDED or NOT_A_RECEIPT; a
 * FAILED one does not, so sending it again retries it.
 */
public final class KnownReceipts {

    /** Most hashes one lookup may ask about (a folder is looked up in slices of this size). */
    public static final int MAX_HASHES = 1000;

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    /** When one photo ended several ways (sent twice), the answer shows the most useful one. */
    private static final List<String> PREFERENCE = List.of(LedgerEntry.WRITTEN, LedgerEntry.EXCLUDED, LedgerEntry.NOT_A_RECEIPT,
            LedgerEntry.DUPLICATE);

    private KnownReceipts() {
    }

    /** A photo the ledger knows: how its receipt ended and what was read from it. */
    public record Known(String sha256, String receiptId, String state, String fileName, String amount, String currency, String date,
            String vendor, List<String> categories, String detail, String recordedAt) {

        static Known of(LedgerEntry e) {
            return new Known(e.sha256().toLowerCase(Locale.ROOT), e.receiptId(), e.state(), e.fileName(), e.amount(), e.currency(),
                    e.date(), e.vendor(), e.categories(), e.detail(), instant(e.recordedAt()));
        }
    }

    /** A receipt written as a duplicate, and the written receipt it repeats (null when that one is not in the ledger). */
    public record Duplicate(String receiptId, String batchId, String fileName, String sha256, String amount, String date, String vendor,
            List<String> categories, String tab, Integer row, String detail, String recordedAt, Original duplicateOf) {
    }

    /** The receipt a duplicate repeats. */
    public record Original(String receiptId, String fileName, String recordedAt) {
    }

    /** The hashes asked about, checked and lower-cased; a wrong one is the caller's error. */
    public static Set<String> hashes(Collection<String> asked) {
        if (asked == null || asked.isEmpty()) {
            throw new ReceiptFilter.BadFilterException("sha256 must list at least one hash, like {\"sha256\":[\"<64 hex digits>\"]}");
        }
        if (asked.size() > MAX_HASHES) {
            throw new ReceiptFilter.BadFilterException("at most " + MAX_HASHES + " hashes per lookup, not " + asked.size());
        }
        Set<String> hashes = new LinkedHashSet<>();
        for (String hash : asked) {
            String h = hash == null ? "" : hash.trim().toLowerCase(Locale.ROOT);
            if (!SHA256.matcher(h).matches()) {
                throw new ReceiptFilter.BadFilterException("each sha256 must be 64 hexadecimal digits, not \""
                        + (h.length() > 80 ? h.substring(0, 80) + "…" : h) + "\"");
            }
            hashes.add(h);
        }
        return hashes;
    }

    /** The owner's known photos among {@code hashes}, one answer per hash, in the order asked. */
    public static List<Known> lookup(List<LedgerEntry> ledger, String owner, Set<String> hashes) {
        Map<String, LedgerEntry> best = new HashMap<>();
        for (LedgerEntry e : ledger) {
            if (!owner.equals(e.owner()) || e.sha256() == null || !PREFERENCE.contains(e.state())) {
                continue;
            }
            String hash = e.sha256().toLowerCase(Locale.ROOT);
            if (hashes.contains(hash)) {
                best.merge(hash, e, KnownReceipts::better);
            }
        }
        return hashes.stream().filter(best::containsKey).map(h -> Known.of(best.get(h))).toList();
    }

    /** The owner's duplicates, oldest first, each with the written receipt of the same date + amount + vendor. */
    public static List<Duplicate> duplicates(List<LedgerEntry> ledger, String owner) {
        Map<RowKey, LedgerEntry> written = new HashMap<>();
        for (LedgerEntry e : ledger) {
            if (owner.equals(e.owner()) && e.inTable()) {
                written.putIfAbsent(RowKey.of(e.date(), e.amount(), e.vendor()), e);
            }
        }
        return ledger.stream()
                .filter(e -> owner.equals(e.owner()) && LedgerEntry.DUPLICATE.equals(e.state()))
                .sorted(Comparator.comparing((LedgerEntry e) -> e.recordedAt() == null ? Instant.EPOCH : e.recordedAt()))
                .map(e -> {
                    Optional<LedgerEntry> original = Optional.ofNullable(written.get(RowKey.of(e.date(), e.amount(), e.vendor())));
                    return new Duplicate(e.receiptId(), e.batchId(), e.fileName(), e.sha256(), e.amount(), e.date(), e.vendor(),
                            e.categories(), e.tab(), e.row(), e.detail(), instant(e.recordedAt()),
                            original.map(o -> new Original(o.receiptId(), o.fileName(), instant(o.recordedAt()))).orElse(null));
                })
                .toList();
    }

    private static LedgerEntry better(LedgerEntry a, LedgerEntry b) {
        int byState = Integer.compare(PREFERENCE.indexOf(a.state()), PREFERENCE.indexOf(b.state()));
        if (byState != 0) {
            return byState < 0 ? a : b;
        }
        Instant ta = a.recordedAt() == null ? Instant.EPOCH : a.recordedAt();
        Instant tb = b.recordedAt() == null ? Instant.EPOCH : b.recordedAt();
        return tb.isAfter(ta) ? b : a;
    }

    private static String instant(Instant at) {
        return at == null ? null : at.toString();
    }
}
