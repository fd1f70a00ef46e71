package io.receiptranger.ingest.settings;

/** A settings request that cannot be done, with the HTTP status and the sentence the user reads. No cause: nothing secret travels on. */
public class SettingsRefused extends RuntimeException {

    private final int status;

    public SettingsRefused(int status, String sentence) {
        super(sentence, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
