package io.receiptranger.extractor.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * The reader behind the owners' model keys and the known photos, on a real broker: a topic nobody
 * created yet counts as read to its end (a receipt is not held up when no owner saved a key), a
 * topic created later is read from the beginning with its tombstones, a failing handler makes the
 * reader start over from the beginning (the known photos rebuild their index then), and stop ends
 * its thread.
 */
class CompactedTopicReaderIT {

    static KafkaLocalProcess broker;
    static Properties connection;
    static KafkaProducer<String, String> producer;
    CompactedTopicReader reader;

    @BeforeAll
    static void startBroker() {
        broker = KafkaLocalProcess.start();
        connection = new Properties();
        connection.put("bootstrap.servers", broker.bootstrapServers());
        producer = new KafkaProducer<>(connection, new StringSerializer(), new StringSerializer());
    }

    @AfterAll
    static void stopBroker() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    @AfterEach
    void stopReader() {
        if (reader != null) {
            reader.stop();
        }
    }

    static void createCompacted(String topic) throws Exception {
        try (Admin admin = Admin.create(connection)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
    }

    static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAbsentTopicCountsAsReadAndOnceCreatedItIsReadFromTheBeginningWithItsTombstones() throws Exception {
        // Given a reader of a topic nobody created
        String topic = "settings-" + UUID.randomUUID();
        Map<String, String> copy = new ConcurrentHashMap<>();
        reader = CompactedTopicReader.of(connection, topic).clientId("reader-it").threadName("reader-it-absent")
                .topicWait(Duration.ofMillis(100))
                .absentTopicIsCaughtUp()
                .build((key, value, partition, offset) -> {
                    if (value == null) {
                        copy.remove(key);
                    } else {
                        copy.put(key, value);
                    }
                });
        reader.start();

        // When a wait starts, Then it returns: there is nothing to wait for
        reader.awaitCaughtUp(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertThat(copy).isEmpty();

        // When the topic is created with a key saved, another saved and the first deleted
        createCompacted(topic);
        send(topic, "model-key:alice", "k1");
        send(topic, "model-key:bob", "k2");
        send(topic, "model-key:alice", null);

        // Then the reader finds it and the copy holds bob's only
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUpWithStart);
        reader.awaitCaughtUp(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertThat(copy).containsOnly(Map.entry("model-key:bob", "k2"));
    }

    @Test
    void aFailingHandlerMakesTheReaderReadAgainFromTheBeginningAndStopEndsItsThread() throws Exception {
        // Given a topic with two records and a handler that fails the first two times it meets the second
        String topic = "ledger-" + UUID.randomUUID();
        createCompacted(topic);
        send(topic, "r1", "WRITTEN");
        send(topic, "r2", "WRITTEN");
        Map<String, String> index = new ConcurrentHashMap<>();
        AtomicInteger failuresLeft = new AtomicInteger(2);
        List<Duration> retries = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger rewinds = new AtomicInteger();
        reader = CompactedTopicReader.of(connection, topic).clientId("reader-it").threadName("reader-it-restart")
                .restartBackoff(Duration.ofMillis(20), Duration.ofMillis(500))
                .onFailure((e, retryIn) -> retries.add(retryIn))
                .onRewind(partitions -> {
                    rewinds.incrementAndGet();
                    index.clear();
                })
                .build((key, value, partition, offset) -> {
                    if (key.equals("r2") && failuresLeft.getAndDecrement() > 0) {
                        throw new IllegalStateException("handler failure");
                    }
                    index.put(key, value);
                });

        // When it reads
        reader.start();

        // Then it started over twice, each time after reaching the topic (so with the first pause), and holds both
        await().atMost(Duration.ofSeconds(30)).until(() -> index.size() == 2 && rewinds.get() == 3);
        assertThat(retries).containsExactly(Duration.ofMillis(20), Duration.ofMillis(20));
        assertThat(index).containsOnlyKeys("r1", "r2");

        // When it is stopped, Then its thread is gone
        reader.stop();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-it-restart") && t.isAlive());
    }
}
