package io.receiptranger.extractor.config;

import java.util.Map;
import java.util.Properties;

/**
 * How the service's own Kafka clients (those built outside the channels) reach the broker: the
 * connection settings of the connector's {@code kafka.*} configuration — bootstrap servers, and the
 * TLS and SASL settings where the broker demands a login (Strimzi SCRAM on every listener, MSK) — so
 * they log in as the same Kafka user as the channels do. Nothing else is taken: the connector's
 * channel and (de)serializer settings mean nothing to these clients.
 */
public final class KafkaConnection {

    private KafkaConnection() {
    }

    /** The connection settings of {@code broker} (the {@code default-kafka-broker} map), as client properties. */
    public static Properties of(Map<String, ?> broker) {
        Properties props = new Properties();
        broker.forEach((key, value) -> {
            if (value != null && connectionSetting(key)) {
                props.put(key, String.valueOf(value));
            }
        });
        return props;
    }

    static boolean connectionSetting(String key) {
        return key.equals("bootstrap.servers") || key.equals("security.protocol") || key.equals("client.dns.lookup")
                || key.startsWith("sasl.") || key.startsWith("ssl.");
    }
}
