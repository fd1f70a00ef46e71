package io.receiptranger.ingest.settings;

/** The masked form a key is shown in ({@code sk-…abcd}): never enough of it to be used or guessed. */
final class KeyHint {

    private KeyHint() {
    }

    static String of(String key) {
        if (key.length() >= 16) {
            return key.substring(0, 3) + "…" + key.substring(key.length() - 4);
        }
        if (key.length() >= 8) {
            return "…" + key.substring(key.length() - 2);
        }
        return "…";
    }
}
