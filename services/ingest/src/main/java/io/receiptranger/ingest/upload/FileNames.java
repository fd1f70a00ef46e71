package io.receiptranger.ingest.upload;

import java.util.HashMap;
import java.util.Map;

/**
 * File names are untrusted text from the sender: shown to people, never used as a path. This keeps
 * the last path segment, drops control and bidi-override characters, caps the length (keeping the
 * extension) and makes names unique within a batch ({@code name (2).jpg}).
 */
public final class FileNames {

    private final int maxChars;
    private final Map<String, Integer> seen = new HashMap<>();

    public FileNames(int maxChars) {
        this.maxChars = maxChars;
    }

    /** A safe display name for {@code raw}. */
    public static String sanitise(String raw, int maxChars) {
        String name = raw == null ? "" : raw;
        int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(slash + 1);
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().filter(cp -> !Character.isISOControl(cp) && !isFormatting(cp)).forEach(clean::appendCodePoint);
        name = clean.toString().strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "file";
        }
        if (name.codePointCount(0, name.length()) > maxChars) {
            int dot = name.lastIndexOf('.');
            String ext = dot > 0 && name.length() - dot <= 10 ? name.substring(dot) : "";
            String stem = ext.isEmpty() ? name : name.substring(0, dot);
            int keep = Math.max(1, maxChars - ext.length() - 1);
            stem = stem.substring(0, stem.offsetByCodePoints(0, Math.min(keep, stem.codePointCount(0, stem.length()))));
            name = stem + "…" + ext;
        }
        return name;
    }

    /** The sanitised name, made unique among the names this instance gave before. */
    public String unique(String raw) {
        String name = sanitise(raw, maxChars);
        String key = name.toLowerCase(java.util.Locale.ROOT);
        Integer count = seen.get(key);
        if (count == null) {
            seen.put(key, 1);
            return name;
        }
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        int n = count;
        String candidate;
        do {
            n++;
            candidate = stem + " (" + n + ")" + ext;
        } while (seen.containsKey(candidate.toLowerCase(java.util.Locale.ROOT)));
        seen.put(key, n);
        seen.put(candidate.toLowerCase(java.util.Locale.ROOT), 1);
        return candidate;
    }

    /** Bidi overrides, zero-width and other invisible formatting characters that can disguise a name. */
    private static boolean isFormatting(int cp) {
        return Character.getType(cp) == Character.FORMAT || cp == 0xFFFD;
    }
}
