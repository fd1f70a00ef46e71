package io.receiptranger.extractor.rules;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The original's prompt-injection screen for the exclusion criteria (SEED-SPEC §3.5): a risk score
 * from four signals, its 42 direct patterns verbatim. Departures, each to fix a false positive the
 * spec lists (§3.5 "Known false positives"):
 * <ul>
 * <li>benign phrasings are masked before the direct patterns run: a household "security system
 * update", "the developer said to" followed by an expense verb ("expense it", "exclude"), and a
 * hex-looking id after a word like card/order/ref;</li>
 * <li>keywords are matched as words, not substrings, and together add at most 8: keywords alone
 * ("admin office, root cellar, token shop, password manager, secret garden") never block at the
 * default score of 10, while they still raise a real injection to CRITICAL.</li>
 * <li>bounded work on any text: whitespace runs collapsed and {@code .+} bounded to 200 characters
 * before the direct patterns run (see {@link #DIRECT}); the text itself is at most 2000 characters
 * wherever it enters.</li>
 * </ul>
 */
public final class PromptInjectionDetector {

    public static final int DIRECT_SCORE = 10;
    public static final int ENCODING_SCORE = 8;
    public static final int TYPOGLYCEMIA_SCORE = 7;
    public static final int KEYWORD_SCORE = 2;
    /** Keywords alone stay below the default block score. */
    public static final int KEYWORD_CAP = 8;

    /** The 42 direct patterns of SEED-SPEC §3.5, verbatim, searched case-insensitively. */
    static final List<String> DIRECT_PATTERNS = List.of(
            // Override
            "ignore\\s+(all\\s+)?previous\\s+instructions?",
            "disregard\\s+(all\\s+)?(previous\\s+)?(instructions?|prompts?)",
            "disregard\\s+(your\\s+)?system\\s+prompt",
            "forget\\s+(all\\s+)?previous\\s+(instructions?|context)",
            "you\\s+are\\s+now\\s+(in\\s+)?(developer|admin|debug)\\s+mode",
            "your\\s+new\\s+(role|instructions?)\\s+(is|are)",
            "system\\s*:\\s*new\\s+instructions?",
            "override\\s+(all\\s+)?(previous\\s+)?(instructions?|rules?|settings?)",
            "from\\s+now\\s+on\\s+(you\\s+)?(will|must|should)\\s+",
            "act\\s+as\\s+(if\\s+)?(you\\s+)?(are|were)\\s+",
            // Extraction
            "(show|reveal|display|output|print)\\s+(me\\s+)?(your\\s+)?(system\\s+)?(prompt|instructions?)",
            "what\\s+(is|are)\\s+your\\s+(initial|system|original)\\s+(prompt|instructions?)",
            "repeat\\s+(your\\s+)?instructions?",
            "(dump|list|echo)\\s+(your\\s+)?(full\\s+)?(system\\s+)?(prompt|instructions?|config)",
            // Privilege
            "enable\\s+(admin|root|debug|developer)\\s+mode",
            "(sudo|admin|root)\\s+access",
            "bypass\\s+(security|restrictions?|filters?|safety)",
            "jailbreak",
            "DAN\\s+mode",
            // Exfiltration
            "send\\s+.+\\s+to\\s+https?://",
            "POST\\s+.+\\s+to\\s+https?://",
            "(upload|transmit|forward)\\s+.+\\s+to\\s+",
            "(curl|wget|fetch)\\s+https?://",
            // Role-play
            "pretend\\s+(you\\s+)?(have\\s+no|there\\s+are\\s+no)\\s+(rules|restrictions|guidelines)",
            "roleplay\\s+as\\s+(an?\\s+)?(unrestricted|unfiltered|uncensored)",
            "you\\s+are\\s+(no\\s+longer|not)\\s+(bound|restricted|limited)\\s+by",
            "respond\\s+(as|like)\\s+(an?\\s+)?(unrestricted|unfiltered)",
            // Fake authority
            "(the\\s+)?(developer|creator|admin|Graham)\\s+(said|told|wants|asks)\\s+(you\\s+)?to",
            "(this\\s+is\\s+)?(an?\\s+)?(official|authorized|urgent)\\s+(update|instruction|command)",
            "(maintenance|system|security)\\s+(mode|update|override)",
            // Delimiters
            "<\\|?(system|im_start|endoftext)\\|?>",
            "\\[SYSTEM\\]",
            "###\\s*(system|instruction|prompt)",
            "---\\s*BEGIN\\s+(SYSTEM|ADMIN)\\s+MESSAGE\\s*---",
            // Indirect extraction
            "(translate|convert|encode)\\s+your\\s+(system\\s+)?(prompt|instructions)",
            "(summarize|paraphrase)\\s+your\\s+(initial\\s+)?(instructions|rules)",
            "(what|how)\\s+(were|are)\\s+you\\s+(programmed|configured|instructed)\\s+to",
            // Chains
            "(first|step\\s+1)\\s*[.:]\\s*(ignore|disregard|forget)",
            "do\\s+not\\s+filter\\s+(your\\s+)?(output|response)",
            // Obfuscation
            "base64\\s+decode",
            "0x[0-9a-fA-F]{8,}",
            "\\\\u[0-9a-fA-F]{4}");

    /** The widest stretch an "anything" ({@code .+}) of the direct patterns may span. */
    static final int MAX_GAP = 200;

    /**
     * The direct patterns as run: every {@code .+} bounded to {@link #MAX_GAP} characters, and run on
     * text whose whitespace runs are collapsed to one space ({@link #collapseWhitespace}). Without
     * both, {@code "send" + 1995 spaces + "x"} made {@code send\s+.+\s+to} try every split of the
     * spaces (cubic: about 10 s a receipt); with them each starting point costs at most a few hundred steps.
     */
    private static final List<Pattern> DIRECT = DIRECT_PATTERNS.stream()
            .map(p -> Pattern.compile(p.replace(".+", ".{1," + MAX_GAP + "}"), Pattern.CASE_INSENSITIVE)).toList();

    /** Benign phrasings masked before the direct patterns (the spec's false positives). */
    private static final List<Pattern> BENIGN = List.of(
            Pattern.compile("\\b(home|house|alarm|camera|car|security)\\s+(security\\s+)?system\\s+(update|upgrade)s?\\b",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(developer|creator|admin)\\s+(said|told|wants|asks)\\s+(me\\s+|us\\s+)?to\\s+"
                    + "(expense|exclude|include|skip|count|file|reimburse|categori[sz]e|bill|charge|keep|list|report|mark|track)\\b",
                    Pattern.CASE_INSENSITIVE),
            Pattern.compile("\\b(card|account|acct|order|invoice|ref|reference|id|number|no\\.?)\\s*#?\\s*0x[0-9a-fA-F]{8,}",
                    Pattern.CASE_INSENSITIVE));

    private static final Pattern BASE64_RUN = Pattern.compile("[A-Za-z0-9+/]{40,}={0,2}");
    private static final Pattern UNICODE_RUN = Pattern.compile("(\\\\u[0-9a-fA-F]{4}){5,}");
    private static final Pattern HEX_RUN = Pattern.compile("(\\\\x[0-9a-fA-F]{2}){5,}");

    static final List<String> TYPO_PHRASES = List.of("ignore previous instructions", "developer mode",
            "system prompt", "disregard instructions", "bypass security", "admin mode", "override instructions",
            "reveal instructions", "maintenance override", "unrestricted mode");

    static final List<String> KEYWORDS = List.of("api_key", "password", "secret", "token", "credential", "admin",
            "root", "sudo", "system_prompt", "instructions");

    private PromptInjectionDetector() {
    }

    public enum Level {
        LOW, MEDIUM, HIGH, CRITICAL;

        public static Level of(int score) {
            return score >= 15 ? CRITICAL : score >= 10 ? HIGH : score >= 5 ? MEDIUM : LOW;
        }
    }

    /** The screen's verdict. */
    public record Risk(int score, Level level, List<String> reasons, boolean shouldBlock) {

        public String message() {
            return "Input blocked: content resembles a prompt injection attempt (risk=" + level + ", score=" + score + ")";
        }
    }

    public static Risk assess(String text, int blockScore) {
        if (text == null || text.isBlank()) {
            return new Risk(0, Level.LOW, List.of(), false);
        }
        int score = 0;
        List<String> reasons = new ArrayList<>();
        List<String> direct = directMatches(text);
        if (!direct.isEmpty()) {
            score += DIRECT_SCORE;
            reasons.add("Direct injection pattern: " + direct);
        }
        String encoding = encodingAttack(text);
        if (encoding != null) {
            score += ENCODING_SCORE;
            reasons.add(encoding);
        }
        String typo = typoglycemia(text);
        if (typo != null) {
            score += TYPOGLYCEMIA_SCORE;
            reasons.add("Typoglycemia variant of \"" + typo + "\"");
        }
        List<String> keywords = keywords(text);
        if (!keywords.isEmpty()) {
            score += Math.min(KEYWORD_CAP, KEYWORD_SCORE * keywords.size());
            reasons.add("Sensitive keywords: " + keywords);
        }
        return new Risk(score, Level.of(score), List.copyOf(reasons), score >= blockScore);
    }

    static List<String> directMatches(String text) {
        String masked = collapseWhitespace(text);
        for (Pattern benign : BENIGN) {
            masked = benign.matcher(masked).replaceAll(" ");
        }
        return directMatchesIn(masked);
    }

    /** The direct patterns found in already collapsed and masked text. */
    static List<String> directMatchesIn(CharSequence masked) {
        List<String> hits = new ArrayList<>();
        for (int i = 0; i < DIRECT.size(); i++) {
            if (DIRECT.get(i).matcher(masked).find()) {
                hits.add(DIRECT_PATTERNS.get(i));
            }
        }
        return hits;
    }

    /** Each run of whitespace as one space, in one pass (no regex): {@code \s+} then matches one character. */
    static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean inRun = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\u000B' || c == '\f' || c == '\r';
            if (space) {
                if (!inRun) {
                    out.append(' ');
                }
                inRun = true;
            } else {
                out.append(c);
                inRun = false;
            }
        }
        return out.toString();
    }

    /** First hit wins: base64 that decodes to an injection, 5+ unicode escapes, 5+ hex escapes. */
    static String encodingAttack(String text) {
        Matcher m = BASE64_RUN.matcher(text);
        while (m.find()) {
            String decoded = decodeLenient(m.group());
            if (decoded != null) {
                List<String> hits = directMatches(decoded);
                if (!hits.isEmpty()) {
                    return "Base64 encoded injection: " + hits;
                }
            }
        }
        if (UNICODE_RUN.matcher(text).find()) {
            return "Suspicious Unicode escape sequence";
        }
        if (HEX_RUN.matcher(text).find()) {
            return "Suspicious hex escape sequence";
        }
        return null;
    }

    private static String decodeLenient(String run) {
        String s = run.replace("=", "");
        if (s.length() % 4 == 1) {
            s = s.substring(0, s.length() - 1);
        }
        StringBuilder padded = new StringBuilder(s);
        while (padded.length() % 4 != 0) {
            padded.append('=');
        }
        try {
            return new String(Base64.getDecoder().decode(padded.toString()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A phrase whose words appear scrambled (same length, first and last letter, same middle letters). */
    static String typoglycemia(String text) {
        String[] words = text.toLowerCase(Locale.ROOT).trim().split("\\s+");
        for (String phrase : TYPO_PHRASES) {
            String[] target = phrase.split(" ");
            for (int i = 0; i + target.length <= words.length; i++) {
                boolean all = true;
                for (int j = 0; j < target.length && all; j++) {
                    all = scrambledMatch(words[i + j], target[j]);
                }
                if (all) {
                    return phrase;
                }
            }
        }
        return null;
    }

    static boolean scrambledMatch(String word, String target) {
        if (word.length() != target.length()) {
            return false;
        }
        if (word.length() <= 3) {
            return word.equals(target);
        }
        if (word.charAt(0) != target.charAt(0) || word.charAt(word.length() - 1) != target.charAt(target.length() - 1)) {
            return false;
        }
        char[] a = word.substring(1, word.length() - 1).toCharArray();
        char[] b = target.substring(1, target.length() - 1).toCharArray();
        java.util.Arrays.sort(a);
        java.util.Arrays.sort(b);
        return java.util.Arrays.equals(a, b);
    }

    /** Keywords present as words (not inside other words), each counted once. */
    static List<String> keywords(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> found = new ArrayList<>();
        for (String keyword : KEYWORDS) {
            if (Pattern.compile("(?<![a-z0-9])" + Pattern.quote(keyword) + "s?(?![a-z0-9])").matcher(lower).find()) {
                found.add(keyword);
            }
        }
        return found;
    }
}
