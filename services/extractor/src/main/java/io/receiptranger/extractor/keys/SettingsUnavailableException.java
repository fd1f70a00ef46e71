package io.receiptranger.extractor.keys;

/** The owners' settings could not be read up to date in time; the receipt fails with this sentence. */
public class SettingsUnavailableException extends RuntimeException {

    public SettingsUnavailableException() {
        super("The extractor could not read the owners' model keys from Kafka in time (topic owner-settings);"
                + " upload the receipt again.", null, false, false);
    }
}
