package io.receiptranger.extractor.rules;

import java.util.stream.Collectors;

import io.quarkus.logging.Log;

/**
 * The user's exclusion criteria as the prompt receives them: {@code #} comment lines dropped, empty →
 * the original's "No exclusion criteria configured.", screened (blocked at the configured score) and
 * sanitised.
 */
public final class ExclusionCriteria {

    public static final String NONE = "No exclusion criteria configured.";
    /** Longest criteria accepted from any producer (the ingest refuses longer ones too). */
    public static final int MAX_CHARS = 2000;

    private ExclusionCriteria() {
    }

    /** Comment lines out, trimmed; {@link #NONE} when nothing is left. */
    public static String withoutComments(String text) {
        if (text == null) {
            return NONE;
        }
        String kept = text.lines().filter(line -> !line.stripLeading().startsWith("#"))
                .collect(Collectors.joining("\n")).trim();
        return kept.isEmpty() ? NONE : kept;
    }

    /** The criteria ready for the prompt, or the detector's refusal. */
    public static String validateAndSanitise(String text, int blockScore) throws PromptInjectionException {
        String criteria = withoutComments(text);
        if (criteria.equals(NONE)) {
            return NONE;
        }
        PromptInjectionDetector.Risk risk = PromptInjectionDetector.assess(criteria, blockScore);
        if (risk.score() >= 10) {
            Log.warnf("Prompt injection detected: score=%d level=%s reasons=%s", risk.score(), risk.level(), risk.reasons());
        } else if (risk.score() >= 5) {
            Log.infof("Possible prompt injection: score=%d level=%s reasons=%s", risk.score(), risk.level(), risk.reasons());
        }
        if (risk.shouldBlock()) {
            throw new PromptInjectionException(risk);
        }
        String sanitised = CriteriaSanitiser.sanitise(criteria).trim();
        return sanitised.isEmpty() ? NONE : sanitised;
    }
}
