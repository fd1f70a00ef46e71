package io.receiptranger.extractor.rules;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cleans exclusion criteria that passed the screen (SEED-SPEC §3.5), in the original's order:
 * dangerous phrases → {@code [REDACTED]}; encoded runs → {@code [ENCODED_CONTENT:…]}; at most 2000
 * characters; whitespace collapsed. The phrases follow the spec's groups; ordinary criteria
 * ("personal purchases", "business expenses", "approved vendors") pass untouched.
 */
public final class CriteriaSanitiser {

    public static final String REDACTED = "[REDACTED]";
    public static final int MAX_LENGTH = 2000;
    public static final String TRUNCATED = "\n\n[Content truncated for safety]";

    /** Dangerous phrases, by group; each is a case-insensitive regex with flexible whitespace. */
    static final List<String> PHRASES = List.of(
            // instruction overrides
            "ignore (all )?(the )?previous instructions?", "ignore (all )?(the )?above instructions?",
            "ignore your instructions", "ignore all instructions", "disregard (all )?(previous )?instructions?",
            "disregard (your )?system prompt", "disregard (all )?previous prompts?", "forget (all )?previous instructions?",
            "forget (all )?previous context", "forget your instructions", "override (all )?(previous )?instructions?",
            "override (all )?(previous )?rules", "override (all )?(previous )?settings", "new instructions:?",
            "your new role is", "your new instructions are", "from now on you (will|must|should)",
            // developer/admin/debug mode
            "you are now in (developer|admin|debug) mode", "(enable|activate) (developer|admin|debug|root) mode",
            "developer mode", "admin mode", "debug mode", "god mode", "dan mode", "jailbreak",
            // bypass
            "bypass (security|restrictions?|filters?|safety)", "disable (security|restrictions|filters|safety)",
            // show/reveal/repeat instructions
            "(show|reveal|display|print|output) (me )?(your )?(system )?(prompt|instructions?)",
            "repeat (your )?instructions?", "what (is|are) your (initial|system|original) (prompt|instructions?)",
            "(dump|echo) (your )?(full )?(system )?(prompt|instructions?|config)",
            // role-play
            "pretend (you )?have no (rules|restrictions|guidelines)", "pretend there are no (rules|restrictions|guidelines)",
            "roleplay as an? (unrestricted|unfiltered|uncensored) (ai|assistant|model)",
            "roleplay as an? (unrestricted|unfiltered|uncensored)",
            "you are no longer bound by", "you are not (bound|restricted|limited) by",
            "respond (as|like) an? (unrestricted|unfiltered) (ai|assistant|model)?", "act as if you (are|were)",
            // impersonation
            "the developer (said|told you|wants you|asks you) to", "the creator (said|told you|wants you) to",
            "the admin (said|told you|wants you) to", "graham (said|told you|wants you|asks you) to",
            "this is an? (official|authorized|urgent) (update|instruction|command)", "maintenance mode",
            "system override", "security override", "maintenance override", "system update:",
            // indirect extraction
            "summari[sz]e your (initial )?(instructions|rules)", "paraphrase your (initial )?(instructions|rules)",
            "translate your (system )?(prompt|instructions)", "(convert|encode) your (system )?(prompt|instructions)",
            "how (were|are) you (programmed|configured|instructed) to",
            // do not filter
            "do not filter (your )?(output|response)");

    private static final List<Pattern> COMPILED = PHRASES.stream()
            .map(p -> Pattern.compile(p.replace(" ", "\\s+"), Pattern.CASE_INSENSITIVE)).toList();
    private static final Pattern HORIZONTAL_SPACE = Pattern.compile("[^\\S\\n]+");
    private static final Pattern ENCODED = Pattern.compile(
            "[A-Za-z0-9+/]{40,}={0,2}|(\\\\u[0-9a-fA-F]{4}){5,}|(\\\\x[0-9a-fA-F]{2}){5,}");

    private CriteriaSanitiser() {
    }

    public static String sanitise(String text) {
        if (text == null) {
            return "";
        }
        // Whitespace first, as at the end (so newlines stay): the phrases' \s+ then never walk a long run.
        String s = collapseWhitespace(text);
        for (Pattern phrase : COMPILED) {
            s = phrase.matcher(s).replaceAll(Matcher.quoteReplacement(REDACTED));
        }
        s = ENCODED.matcher(s).replaceAll(m -> Matcher.quoteReplacement(
                "[ENCODED_CONTENT:" + m.group().length() + " characters removed]"));
        if (s.length() > MAX_LENGTH) {
            s = s.substring(0, MAX_LENGTH) + TRUNCATED;
        }
        return collapseWhitespace(s);
    }

    /** Runs of spaces and tabs to one space, three or more line breaks to two; linear patterns. */
    private static String collapseWhitespace(String s) {
        return HORIZONTAL_SPACE.matcher(s).replaceAll(" ").replaceAll("\n{3,}", "\n\n");
    }
}
