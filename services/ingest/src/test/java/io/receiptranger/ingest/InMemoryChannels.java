package io.receiptranger.ingest;

import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.receiptranger.ingest.account.PersonalTokens;
import io.receiptranger.ingest.messaging.ReceiptPublisher;
import io.receiptranger.ingest.messaging.ViewConsumers;
import io.receiptranger.ingest.settings.SettingsTopic;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;

/** Puts every channel of the ingest on the in-memory connector, for {@code @QuarkusTest}s without Kafka. */
public class InMemoryChannels implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        Map<String, String> props = new HashMap<>();
        props.putAll(InMemoryConnector.switchOutgoingChannelsToInMemory(ReceiptPublisher.RECEIPTS_OUT,
                ReceiptPublisher.STATUS_OUT, SettingsTopic.OUT, PersonalTokens.OUT,
                io.receiptranger.ingest.history.CorrectionPublisher.CHANNEL));
        props.putAll(InMemoryConnector.switchIncomingChannelsToInMemory(ViewConsumers.RECEIPTS_VIEW,
                ViewConsumers.STATUS_VIEW, ViewConsumers.EXTRACTIONS_VIEW, SettingsTopic.VIEW, PersonalTokens.VIEW));
        return props;
    }

    @Override
    public void stop() {
        InMemoryConnector.clear();
    }
}
