package io.receiptranger.extractor.ocr;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vendor: the business name near the top. First choice, within the first {@value #TOP} lines, the
 * line that names a company ({@code SDN BHD}, {@code S/B}, {@code BHD}, {@code LLC}, {@code LTD},
 * {@code INC}, {@code ENTERPRISE}, {@code TRADING}…; a suffix alone on its line joins the line above:
 * {@code Nando's Chickenland Malaysia} / {@code Sdn Bhd}); registration numbers in brackets are dropped.
 * Otherwise the first of the top lines that reads like a name: mostly letters, not an address
 * (street words, postcodes), not a phone, tax, invoice or greeting line.
 */
final class VendorLine {

    static final int TOP = 12;
    private static final Pattern COMPANY = Pattern.compile(
            "S[DO0]N\\.? ?B[HN-]D\\.?|S/B\\b|\\bBHD\\b|\\bBERHAD\\b|\\(M\\) ?BHD|\\bSB$|\\bLLC\\b|\\bLTD\\b|\\bLIMITED\\b|\\bINC\\b|\\bGMBH\\b"
                    + "|\\bCORP\\b|\\bENTERPRISE\\b|\\bTRADING\\b|\\bPLT\\b");
    /** A line that is nothing but the company suffix. */
    private static final Pattern SUFFIX_ONLY = Pattern.compile("^\\W{0,3}(SDN\\.? ?BHD\\.?|S/B|BHD\\.?|BERHAD)\\W{0,3}$");
    /** A Malaysian company registration number in brackets, which follows the company's name: (169609-A). */
    private static final Pattern REGISTERED = Pattern.compile("\\(\\s?\\d{5,7}\\s?-?\\s?[A-Z]\\s?\\)");
    /** OCR's SON BHD / SDN B-D for SDN BHD. */
    private static final Pattern SDN_BHD = Pattern.compile("\\bS[DO0]N(\\.?) ?B[HN-]D\\b", Pattern.CASE_INSENSITIVE);
    /** OCR's 0 for O inside a word: AEON C0. */
    private static final Pattern ZERO_IN_WORD = Pattern.compile("(?<=[A-Za-z])0(?=[A-Za-z.])");
    /** "Dimiliki:" (owned by), "Operated by:" before the company's name. */
    private static final Pattern OWNED_BY = Pattern.compile("^[^:]{1,20}:\\s?(?=.{4,})");
    /** Bracketed registration numbers and GST ids: (169609-A), (682288-V ), (G09213A). */
    private static final Pattern REGISTRATION = Pattern.compile("\\((?=[^)]{0,20}\\d)[^()]{1,20}\\)?");
    private static final Pattern NOT_A_NAME = Pattern.compile(
            "^\\W{0,3}(\\d|date|time|cashier|server|tel|phone|fax|receipt|order|invoice|tax|gst|co\\.? ?reg|reg|welcome|thank|"
                    + "table|bill|no\\b|lot\\b)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ADDRESS = Pattern.compile(
            "\\b(JALAN|JLN|LORONG|TAMAN|TMN|ROAD|RD|STREET|ST|AVENUE|AVE|BLVD|SUITE|FLOOR|LEVEL|UNIT|BLOCK|BLK|PERSIARAN|"
                    + "KUALA LUMPUR|SELANGOR|JOHOR|PENANG|MALAYSIA|BANDAR)\\b|\\b\\d{5}\\b|@|WWW\\.|\\.COM\\b",
            Pattern.CASE_INSENSITIVE);

    private VendorLine() {
    }

    /** The vendor's name and the lines (indexes) it was read from. */
    record Found(String name, List<Integer> lines) {
    }

    static Optional<String> find(List<String> lines) {
        return locate(lines).map(Found::name);
    }

    static Optional<Found> locate(List<String> lines) {
        List<String> top = lines.subList(0, Math.min(TOP, lines.size()));
        for (int i = 0; i < top.size(); i++) {
            String line = Amounts.bounded(top.get(i));
            String upper = line.toUpperCase(Locale.ROOT);
            if (SUFFIX_ONLY.matcher(upper).find() && i > 0) {
                return Optional.of(new Found(clean(top.get(i - 1) + " " + line), List.of(i - 1, i)));
            }
            Matcher registered = REGISTERED.matcher(upper);
            if (registered.find() && letters(upper.substring(0, registered.start())) >= 4) {
                return Optional.of(new Found(clean(line.substring(0, registered.start())), List.of(i)));
            }
            Matcher company = COMPANY.matcher(upper);
            if (company.find() && !upper.startsWith("CO") && letters(upper) >= 4) {
                // The name ends with its suffix: what follows is a registration number or noise.
                return Optional.of(new Found(clean(OWNED_BY.matcher(line.substring(0, company.end())).replaceFirst("")),
                        List.of(i)));
            }
        }
        List<String> head = top.subList(0, Math.min(6, top.size()));
        for (int i = 0; i < head.size(); i++) {
            String l = Amounts.bounded(head.get(i));
            if (nameLike(l)) {
                // "HOME MASTER HARDWARE &" / "ELECTRICAL": a name that goes on.
                if ((l.endsWith("&") || l.toUpperCase(Locale.ROOT).endsWith(" AND")) && i + 1 < head.size()
                        && nameLike(head.get(i + 1))) {
                    return Optional.of(new Found(clean(l + " " + head.get(i + 1)), List.of(i, i + 1)));
                }
                return Optional.of(new Found(clean(l), List.of(i)));
            }
        }
        return Optional.empty();
    }

    private static boolean nameLike(String l) {
        long letters = letters(l);
        return letters >= 3 && letters * 2 >= l.replace(" ", "").length() && !NOT_A_NAME.matcher(l).find()
                && !ADDRESS.matcher(l).find();
    }

    private static long letters(String s) {
        return s.chars().filter(Character::isLetter).count();
    }

    static String clean(String line) {
        String s = REGISTRATION.matcher(Amounts.bounded(line)).replaceAll(" ");
        s = SDN_BHD.matcher(s).replaceAll(m -> m.group().toUpperCase(Locale.ROOT).matches("SDN\\.? ?BHD") ? m.group()
                : "SDN" + m.group(1) + " BHD");
        s = ZERO_IN_WORD.matcher(s).replaceAll("O");
        return s.replaceAll("[|_~]+", " ").replaceAll("\\s+", " ").replaceAll("^[\\W&&[^(]]+|[\\s,:;-]+$", "").trim();
    }
}
