package io.receiptranger.sheets;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Plain Kafka clients for tests: send records, read a whole topic. */
public final class KafkaProbe implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Plain tests have no Quarkus logging config: keep the clients' configuration dumps out of the build log. */
    static final java.util.logging.Logger KAFKA_LOGS = java.util.logging.Logger.getLogger("org.apache.kafka");

    static {
        KAFKA_LOGS.setLevel(java.util.logging.Level.WARNING);
    }

    private final String bootstrap;
    private final KafkaProducer<String, String> producer;

    public KafkaProbe(String bootstrap) {
        this.bootstrap = bootstrap;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }

    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends many records at once and waits until Kafka acknowledged all of them. */
    public void sendAll(String topic, java.util.Map<String, String> records) {
        List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
        records.forEach((key, value) -> sent.add(producer.send(new ProducerRecord<>(topic, key, value))));
        for (var future : sent) {
            try {
                future.get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Every record of the topic right now, parsed as JSON (unparseable values become text nodes). */
    public List<JsonNode> read(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            var end = consumer.endOffsets(partitions);
            List<JsonNode> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    try {
                        out.add(JSON.readTree(r.value()));
                    } catch (Exception e) {
                        out.add(JSON.getNodeFactory().textNode(r.value()));
                    }
                }
            }
            return out;
        }
    }

    /** The stages published for one receipt, in topic order. */
    public List<String> stages(String receiptId) {
        return read("receipt-status").stream().filter(n -> receiptId.equals(n.path("receiptId").asText()))
                .map(n -> n.path("stage").asText()).toList();
    }

    public List<JsonNode> statuses(String receiptId) {
        return read("receipt-status").stream().filter(n -> receiptId.equals(n.path("receiptId").asText())).toList();
    }

    @Override
    public void close() {
        producer.close();
    }
}
