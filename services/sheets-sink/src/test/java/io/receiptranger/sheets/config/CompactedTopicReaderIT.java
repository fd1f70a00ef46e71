package io.receiptranger.sheets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * The reader the ledger and the owners' settings rely on, on a real broker: it waits for a topic
 * that is not there yet, reads it from the beginning with tombstones applied, is ready once it
 * reached the end offsets seen at start, starts over after its handler failed, and stops its thread.
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

    static String createTopic() throws Exception {
        return createTopic("compacted-" + UUID.randomUUID());
    }

    static String createTopic(String topic) throws Exception {
        try (Admin admin = Admin.create(connection)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1)
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        return topic;
    }

    static void send(String topic, String key, String value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aTopicCreatedLaterIsReadFromTheBeginningWithTombstonesAndTheReaderIsReadyOnceCaughtUp() throws Exception {
        // Given a reader started before its topic exists
        String topic = "compacted-" + UUID.randomUUID();
        Map<String, String> copy = new ConcurrentHashMap<>();
        reader = CompactedTopicReader.of(connection, topic).clientId("reader-it").threadName("reader-it-tail")
                .topicWait(Duration.ofMillis(100))
                .build((key, value, partition, offset) -> {
                    if (value == null) {
                        copy.remove(key);
                    } else {
                        copy.put(key, value);
                    }
                });
        reader.start();
        assertThatThrownBy(() -> reader.awaitCaughtUp(Duration.ofMillis(300), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(CompactedTopicReader.NotCaughtUpException.class,
                        e -> assertThat(e.reason()).isEqualTo(CompactedTopicReader.NotCaughtUpException.Reason.NOT_READABLE));
        assertThat(reader.caughtUpWithStart()).isFalse();

        // When the topic appears with three facts, one of them withdrawn by a tombstone
        createTopic(topic);
        send(topic, "a", "1");
        send(topic, "b", "2");
        send(topic, "a", null);

        // Then a wait that starts now returns with all of it in the copy
        reader.awaitCaughtUp(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertThat(copy).containsOnly(Map.entry("b", "2"));
        // and what is sent later reaches the copy too
        send(topic, "c", "3");
        reader.awaitCaughtUp(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertThat(copy).containsOnlyKeys("b", "c");
    }

    @Test
    void readinessMeansTheEndOffsetsSeenAtStartWereReached() throws Exception {
        // Given a topic that already holds records
        String topic = createTopic();
        for (int i = 0; i < 20; i++) {
            send(topic, "k" + i, "v" + i);
        }
        Map<String, String> copy = new ConcurrentHashMap<>();
        AtomicInteger sizeWhenCaughtUp = new AtomicInteger(-1);
        reader = CompactedTopicReader.of(connection, topic).clientId("reader-it").threadName("reader-it-tail")
                .onCaughtUp(() -> sizeWhenCaughtUp.set(copy.size()))
                .build((key, value, partition, offset) -> copy.put(key, value));

        // When it starts
        reader.start();

        // Then it becomes ready with every record that was there at start already applied
        await().atMost(Duration.ofSeconds(30)).until(reader::caughtUpWithStart);
        assertThat(sizeWhenCaughtUp).hasValue(20);
    }

    @Test
    void aFailingHandlerMakesTheReaderStartOverFromTheBeginningAndStopEndsItsThread() throws Exception {
        // Given a topic and a handler that fails once on its second record
        String topic = createTopic();
        send(topic, "x", "1");
        send(topic, "y", "2");
        Map<String, String> copy = new ConcurrentHashMap<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        AtomicInteger rewinds = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        reader = CompactedTopicReader.of(connection, topic).clientId("reader-it").threadName("reader-it-restart")
                .restartBackoff(Duration.ofMillis(50))
                .onFailure((e, retryIn) -> failures.incrementAndGet())
                .onRewind(partitions -> rewinds.incrementAndGet())
                .build((key, value, partition, offset) -> {
                    if (key.equals("y") && failedOnce.compareAndSet(false, true)) {
                        throw new IllegalStateException("handler failure");
                    }
                    copy.put(key, value);
                });

        // When it reads
        reader.start();

        // Then it failed once, read the topic again from the beginning, and has everything
        reader.awaitCaughtUp(Duration.ofSeconds(30), Duration.ofSeconds(10));
        assertThat(copy).containsOnlyKeys("x", "y");
        assertThat(failures).hasValue(1);
        assertThat(rewinds).hasValue(2);
        assertThat(reader.caughtUpWithStart()).isTrue();

        // When it is stopped, Then its thread is gone
        reader.stop();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("reader-it-restart") && t.isAlive());
    }
}
