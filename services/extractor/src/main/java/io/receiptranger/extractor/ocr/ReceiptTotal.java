package io.receiptranger.extractor.ocr;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The grand total from OCR lines. Each line is classified by its label, read with spaces and
 * punctuation removed (PP-OCR often drops spaces: {@code TotalSales(InclusiveGST)}):
 * <ol>
 * <li>final: {@code ROUNDED TOTAL}, {@code TOTAL AMT ROUNDED}, {@code NETT}, {@code GRAND TOTAL},
 * {@code AMOUNT DUE}, {@code AMT DUE}, {@code BALANCE DUE}, {@code TOTAL PAYABLE};</li>
 * <li>inclusive: {@code TOTAL (INCL GST)}, {@code TOTAL SALES}, {@code TOTAL AMOUNT};</li>
 * <li>plain: any other line with {@code TOTAL};</li>
 * </ol>
 * never {@code SUBTOTAL}, {@code TOTAL EXCL. GST}, item/quantity/saving/discount/tax totals or a
 * rounding adjustment. The amount is the last on the line, or alone on the next line. Cash and
 * change are evidence: {@code paid − change} equal to a candidate picks it, and stands in for a
 * total no line names. Otherwise the highest class wins, the last such line within it (a later
 * TOTAL after a tip). A tip under the printed total whose final TOTAL line has no readable amount
 * is added to it (the original's tip rule).
 */
final class ReceiptTotal {

    private static final Pattern NOT_LETTERS = Pattern.compile("[^A-Z]");
    private static final String[] EXCLUDED = { "SUBTOTAL", "SUBTTL", "SUBTOT", "EXCL", "TOTALITEM", "TOTALQTY",
            "TOTALQUANTITY", "TOTALSAVING", "TOTALDISCOUNT", "TOTALGST", "TOTALTAX", "TOTALNO", "TOTALPCS", "ADJ",
            "TAXABLE", "GSTSUMMARY", "TOTALEV", "TOTALPOINT", "TOTALWEIGHT" };
    private static final String[] FINAL = { "ROUNDED", "NETT", "NETTOTAL", "GRANDTOTAL", "AMOUNTDUE", "AMTDUE",
            "BALANCEDUE", "TOTALDUE", "TOTALPAYABLE", "AMOUNTPAYABLE", "AMTPAYABLE" };
    private static final String[] INCLUSIVE = { "INCL", "INCLUSIVE", "TOTALSALES", "TOTALAMOUNT", "TOTALAMT",
            "TOTALRM", "TOTALMYR" };
    private static final String[] PLAIN = { "TOTAL", "TOTAI", "TOTRL", "TGTAL", "TOTL", "T0TAL" };
    private static final String[] PAID = { "CASH", "PAID", "TENDER", "PAYMENT", "AMTPAID" };
    private static final String[] CHANGE = { "CHANGE", "CHNG", "BAKI" };
    private static final Pattern TIP = Pattern.compile("^\\W{0,5}(?:tip|t[r1il|]p|gratuity)\\b", Pattern.CASE_INSENSITIVE);

    private ReceiptTotal() {
    }

    /** The label's letters, upper case: {@code "Total (Incl. GST)"} → {@code TOTALINCLGST}. */
    static String label(String line) {
        return NOT_LETTERS.matcher(Amounts.bounded(line).toUpperCase(Locale.ROOT)).replaceAll("");
    }

    /** 3 final, 2 inclusive, 1 plain, 0 not a total line. */
    static int rank(String line) {
        String key = label(line);
        // "(Total Included GST 6% :0.42)": a rate on the line makes it a tax line.
        if (containsAny(key, EXCLUDED) || line.indexOf('%') >= 0) {
            return 0;
        }
        if (startsNearAny(key, FINAL, 8) || key.equals("DUE")) {
            return 3;
        }
        // The label starts the line: "… AND SET TOTAL TO 0.00" printed on a receipt is not its total.
        boolean total = startsNearAny(key, PLAIN, 6);
        if (total && containsAny(key, INCLUSIVE)) {
            return 2;
        }
        return total ? 1 : 0;
    }

    static Optional<BigDecimal> find(List<String> lines) {
        int bestRank = 0;
        int bestLine = -1;
        BigDecimal best = null;
        BigDecimal[] byLine = new BigDecimal[lines.size()];
        int[] ranks = new int[lines.size()];
        boolean laterTotalWithoutAmount = false;
        boolean rounded = false;
        for (int i = 0; i < lines.size(); i++) {
            ranks[i] = rank(lines.get(i));
            if (label(lines.get(i)).startsWith("ROUNDING")) {
                rounded = true;
            }
            if (ranks[i] == 0) {
                continue;
            }
            if (rounded) {
                // A total printed after the rounding adjustment is the amount paid.
                ranks[i] = 3;
            }
            BigDecimal amount = amountOf(lines, i);
            if (amount == null) {
                if (best != null) {
                    laterTotalWithoutAmount = true;
                }
                continue;
            }
            byLine[i] = amount;
            if (amount.signum() == 0 && best != null) {
                continue;
            }
            if (ranks[i] >= bestRank || (best != null && best.signum() == 0)) {
                bestRank = ranks[i];
                bestLine = i;
                best = amount;
                laterTotalWithoutAmount = false;
            }
        }
        Optional<BigDecimal> evidence = paidMinusChange(lines);
        if (evidence.isPresent()) {
            BigDecimal paid = evidence.get();
            for (int r = 3; r >= 1; r--) {
                for (int i = lines.size() - 1; i >= 0; i--) {
                    if (ranks[i] == r && byLine[i] != null && byLine[i].compareTo(paid) == 0) {
                        // Paid before the tip was written: the later total that adds the tip wins.
                        Optional<BigDecimal> tip = tipAfter(lines, i);
                        if (best != null && tip.isPresent() && best.compareTo(paid.add(tip.get())) == 0) {
                            return Optional.of(best);
                        }
                        return Optional.of(byLine[i]);
                    }
                }
            }
            if (best == null) {
                return evidence;
            }
        }
        if (best != null && laterTotalWithoutAmount) {
            Optional<BigDecimal> tip = tipAfter(lines, bestLine);
            if (tip.isPresent()) {
                return Optional.of(best.add(tip.get()));
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The line's last amount, or the next line's when that line is only an amount ({@code RM 15.90}) or
     * the payment line (OCR split the row: {@code Total} / {@code Payment Type RM40.00}).
     */
    private static BigDecimal amountOf(List<String> lines, int i) {
        BigDecimal amount = Amounts.last(lines.get(i));
        if (amount == null && i + 1 < lines.size()) {
            String next = label(lines.get(i + 1));
            if (next.length() <= 3 || (rank(lines.get(i)) > 0 && startsWithAny(next, PAID))) {
                amount = Amounts.last(lines.get(i + 1));
            }
        }
        return amount;
    }

    /**
     * Cash tendered minus the change given, when both are printed (a change of zero with the cash alone
     * is also evidence): the amount paid.
     */
    static Optional<BigDecimal> paidMinusChange(List<String> lines) {
        BigDecimal paid = null;
        BigDecimal change = null;
        for (int i = 0; i < lines.size(); i++) {
            String key = label(lines.get(i));
            if (paid == null && startsWithAny(key, PAID) && !key.contains("CHANGE")) {
                paid = amountOf(lines, i);
            } else if (paid != null && change == null && containsAny(key, CHANGE)) {
                change = amountOf(lines, i);
            }
        }
        if (paid == null || change == null || change.compareTo(paid) > 0) {
            return Optional.empty();
        }
        BigDecimal total = paid.subtract(change);
        return total.signum() > 0 ? Optional.of(total) : Optional.empty();
    }

    static Optional<BigDecimal> tip(List<String> lines) {
        for (String line : lines) {
            if (TIP.matcher(line).find()) {
                BigDecimal a = Amounts.last(line);
                if (a != null) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<BigDecimal> tipAfter(List<String> lines, int index) {
        return tip(lines.subList(index + 1, lines.size()));
    }

    private static boolean containsAny(String key, String[] words) {
        for (String w : words) {
            if (key.contains(w)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsNearAny(String key, String[] words, int maxIndex) {
        for (String w : words) {
            int at = key.indexOf(w);
            if (at >= 0 && at <= maxIndex) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String key, String[] words) {
        for (String w : words) {
            if (key.startsWith(w)) {
                return true;
            }
        }
        return false;
    }
}
