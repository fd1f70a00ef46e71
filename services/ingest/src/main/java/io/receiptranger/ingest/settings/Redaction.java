package io.receiptranger.ingest.settings;

import java.util.regex.Pattern;

/** Takes anything key-like out of a text that came from a provider before a person or a log sees it. */
final class Redaction {

    /** OpenAI-style secrets and their partly masked echoes ({@code sk-abc***wxyz}). */
    private static final Pattern KEY_LIKE = Pattern.compile("\\b(?:sk|pk|rk)-[A-Za-z0-9_*\\-]{6,}");

    private Redaction() {
    }

    static String redact(String text, String key) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String out = key == null || key.isEmpty() ? text : text.replace(key, "[key]");
        return KEY_LIKE.matcher(out).replaceAll("[key]");
    }
}
