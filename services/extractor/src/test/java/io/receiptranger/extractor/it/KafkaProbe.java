package io.receiptranger.extractor.it;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.messaging.EventPublisher;
import io.receiptranger.extractor.messaging.ExtractionProcessor;

/** The test's own Kafka client: sends receipts and records everything on the output topics. */
public final class KafkaProbe implements AutoCloseable {

    public record Seen(String topic, String key, String value, String deadLetterReason) {
        public JsonNode json() {
            try {
                return Json.MAPPER.readTree(value);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + value, e);
            }
        }
    }

    private final KafkaProducer<String, String> producer;
    private final KafkaConsumer<String, String> consumer;
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread poller;

    public KafkaProbe(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        producer = new KafkaProducer<>(p);
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(c);
        consumer.subscribe(List.of(EventPublisher.EXTRACTIONS, EventPublisher.RECEIPT_STATUS, "receipts-dlq"));
        poller = new Thread(this::poll, "kafka-probe");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (running.get()) {
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                Header reason = r.headers().lastHeader("dead-letter-reason");
                seen.add(new Seen(r.topic(), r.key(), r.value(),
                        reason == null ? null : new String(reason.value(), StandardCharsets.UTF_8)));
            }
        }
        consumer.close();
    }

    public void send(String key, String value) {
        send(ExtractionProcessor.RECEIPTS, key, value);
    }

    public void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts a record on any topic (the owners' settings, for example) and waits for the broker. */
    public void sendTo(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The records of a topic about one receipt (by the receiptId they carry: extractions are keyed by owner). */
    public List<Seen> on(String topic, String receiptId) {
        return seen.stream().filter(s -> s.topic().equals(topic) && receiptId.equals(receiptIdOf(s))).toList();
    }

    private static String receiptIdOf(Seen s) {
        try {
            return Json.MAPPER.readTree(s.value()).path("receiptId").asText(null);
        } catch (Exception e) {
            return s.key();
        }
    }

    /**
     * The extraction published for a receipt, waited for: the extractor sends the extraction and its
     * terminal status side by side, so seeing the stage does not mean this probe has read the extraction yet.
     */
    public Seen extraction(String receiptId) {
        return await().atMost(Duration.ofSeconds(30))
                .until(() -> on("extractions", receiptId), l -> !l.isEmpty()).get(0);
    }

    /** The stages published for a receipt, in order. */
    public List<String> stages(String receiptId) {
        return on("receipt-status", receiptId).stream().map(s -> s.json().get("stage").asText()).toList();
    }

    public List<Seen> deadLetters() {
        return seen.stream().filter(s -> s.topic().equals("receipts-dlq")).toList();
    }

    @Override
    public void close() {
        running.set(false);
        producer.close();
        try {
            poller.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
