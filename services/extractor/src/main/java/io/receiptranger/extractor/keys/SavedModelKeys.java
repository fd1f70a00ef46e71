package io.receiptranger.extractor.keys;

import java.util.Optional;

/** The owners' saved model keys as this replica knows them ({@link OwnerModelKeys} reads them from Kafka). */
public interface SavedModelKeys {

    /** Waits until this copy is as recent as the topic is now. */
    void awaitCaughtUp();

    Optional<SettingsRecord> forOwner(String owner);
}
