package io.receiptranger.extractor.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.quarkus.logging.Log;

/**
 * Reads one compacted topic from the beginning and keeps tailing it, on a daemon thread of its own,
 * for a class that keeps a copy of the topic in memory (the owners' model keys, the photos the
 * sink's ledger knows). A plain
 * consumer with {@code assign()} and no group: every replica keeps the whole copy, so there is
 * nothing to rebalance and nothing to commit. The owner of the reader only says what a record
 * means ({@link Handler}); this class waits for the topic, rewinds, polls, tracks how far it read
 * and starts over after a failure (records of a compacted topic are idempotent facts, so reading
 * them again is harmless).
 *
 * <p>Where the readers of this service differ (client id, topic creation, log sentences, pauses),
 * the difference is a setting of the {@link Builder}, not a second copy of the loop.
 */
public final class CompactedTopicReader {

    /** What one record means to the owner of the copy. {@code value} null is a tombstone. */
    @FunctionalInterface
    public interface Handler {
        void apply(String key, String value, int partition, long offset);
    }

    /** {@link #awaitCaughtUp} could not vouch that the copy reached the topic's end. */
    public static final class NotCaughtUpException extends RuntimeException {

        /** Why the wait gave up, so that each owner can say it in its own words. */
        public enum Reason {
            /** The topic was never assigned in time (not there, or Kafka unreachable). */
            NOT_READABLE,
            /** Kafka did not tell the topic's end offsets (the cause says why). */
            END_OFFSETS_UNKNOWN,
            /** The end offsets were known but the copy did not reach them in time. */
            TOO_SLOW
        }

        private final Reason reason;

        NotCaughtUpException(Reason reason, Throwable cause) {
            super(reason.name(), cause, false, false);
            this.reason = reason;
        }

        public Reason reason() {
            return reason;
        }
    }

    /** Settings of one reader; every one has the default the first readers of this service used. */
    public static final class Builder {

        private final Properties connection;
        private final String topic;
        private String clientId;
        private String threadName;
        private final Map<String, Object> consumerProperties = new HashMap<>();
        private Duration pollTimeout = Duration.ofMillis(200);
        private Duration topicWait = Duration.ofSeconds(1);
        private Duration restartBackoff = Duration.ofSeconds(1);
        private Duration maxRestartBackoff = Duration.ofSeconds(1);
        private boolean absentTopicIsCaughtUp;
        private String missingTopicWarning = "The topic %s does not exist yet; waiting";
        private boolean missingTopicWarnedOnce;
        private String unreachableWarning = "Kafka is not reachable at %s yet; waiting to read %s";
        private BiConsumer<RuntimeException, Duration> onFailure = (e, retryIn) -> Log.errorf(
                "The reader of a compacted topic failed (%s); restarting it", e.getClass().getSimpleName());
        private Consumer<List<TopicPartition>> onRewind = partitions -> {
        };
        private Runnable onCaughtUp = () -> {
        };

        private Builder(Properties connection, String topic) {
            this.connection = connection;
            this.topic = topic;
        }

        /** The consumer's {@code client.id} (it names the reader in the broker's quotas, ACL logs and metrics). */
        public Builder clientId(String clientId) {
            this.clientId = clientId;
            return this;
        }

        /** The name of the reader's thread (seen in thread dumps). */
        public Builder threadName(String threadName) {
            this.threadName = threadName;
            return this;
        }

        /** One more consumer setting, e.g. {@code allow.auto.create.topics=false}. */
        public Builder consumerProperty(String key, Object value) {
            consumerProperties.put(key, value);
            return this;
        }

        /** How long one poll waits for records. */
        public Builder pollTimeout(Duration pollTimeout) {
            this.pollTimeout = pollTimeout;
            return this;
        }

        /** The pause between two looks for a topic that is not there yet. */
        public Builder topicWait(Duration topicWait) {
            this.topicWait = topicWait;
            return this;
        }

        /** The pause before the reader starts over after a failure (short in tests); always the same. */
        public Builder restartBackoff(Duration restartBackoff) {
            return restartBackoff(restartBackoff, restartBackoff);
        }

        /**
         * The pause before the reader starts over after a failure: {@code first}, doubled at each
         * failure in a row up to {@code max}, and {@code first} again once a start reached the topic.
         */
        public Builder restartBackoff(Duration first, Duration max) {
            this.restartBackoff = first;
            this.maxRestartBackoff = max;
            return this;
        }

        /**
         * A topic that does not exist counts as read to its end by {@link #awaitCaughtUp}: nobody has
         * written to it yet, so there is nothing to wait for.
         */
        public Builder absentTopicIsCaughtUp() {
            this.absentTopicIsCaughtUp = true;
            return this;
        }

        /**
         * The warning while the topic does not exist ({@code %s} = the topic), at every look or only
         * at the first look of each start.
         */
        public Builder missingTopicWarning(String format, boolean onceAStart) {
            this.missingTopicWarning = format;
            this.missingTopicWarnedOnce = onceAStart;
            return this;
        }

        /** The warning while Kafka does not answer ({@code %s} = the bootstrap servers, then the topic). */
        public Builder unreachableWarning(String format) {
            this.unreachableWarning = format;
            return this;
        }

        /** Says that the reader failed and starts over after {@code retryIn}; the owner chooses what to log. */
        public Builder onFailure(BiConsumer<RuntimeException, Duration> onFailure) {
            this.onFailure = onFailure;
            return this;
        }

        /** Called each time the reader is about to read the topic again from the beginning. */
        public Builder onRewind(Consumer<List<TopicPartition>> onRewind) {
            this.onRewind = onRewind;
            return this;
        }

        /** Called once, when the copy first reached the end offsets the topic had when it was first assigned. */
        public Builder onCaughtUp(Runnable onCaughtUp) {
            this.onCaughtUp = onCaughtUp;
            return this;
        }

        public CompactedTopicReader build(Handler handler) {
            return new CompactedTopicReader(this, Objects.requireNonNull(handler));
        }
    }

    private final Builder settings;
    private final Handler handler;
    private final String bootstrap;
    /**
     * How far the copy has read, per partition. Kept across a restart, as the owners that wait on it
     * ({@link #awaitCaughtUp}) keep their copy when it is read again; an owner that empties its copy on
     * {@code onRewind} must not rely on it during a restart.
     */
    private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
    /** Null until the topic was first looked up; empty while it does not exist; else the last assignment. */
    private volatile List<TopicPartition> partitions;
    private volatile Map<TopicPartition, Long> startupTarget;
    private volatile boolean caughtUp;
    private volatile boolean running = true;
    private volatile boolean reachedTopic;
    private volatile KafkaConsumer<String, String> consumer;
    private Admin admin;
    private Thread thread;

    private CompactedTopicReader(Builder settings, Handler handler) {
        this.settings = settings;
        this.handler = handler;
        this.bootstrap = settings.connection.getProperty("bootstrap.servers");
    }

    /** A reader of {@code topic} through the service's own connection settings ({@link KafkaConnection}). */
    public static Builder of(Properties connection, String topic) {
        return new Builder(connection, topic);
    }

    /** Starts the reader's thread (at the service's startup). */
    public synchronized void start() {
        thread = new Thread(this::run, settings.threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the thread: a blocked poll or lookup is woken up, and the thread is given five seconds to end. */
    public void stop() {
        running = false;
        KafkaConsumer<String, String> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(5));
                admin = null;
            }
        }
    }

    /** Whether the copy has reached the end offsets the topic had when it was first assigned (readiness). */
    public boolean caughtUpWithStart() {
        return caughtUp;
    }

    /**
     * Waits until the copy has read the topic up to its end offsets as of now: what was acknowledged
     * before this call is in the copy when it returns.
     *
     * @param timeout the whole wait
     * @param offsetsTimeout how long Kafka may take to tell the end offsets
     * @throws NotCaughtUpException when it cannot be vouched for in time
     */
    public void awaitCaughtUp(Duration timeout, Duration offsetsTimeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<TopicPartition> known = partitions;
        while (known == null || known.isEmpty() && !settings.absentTopicIsCaughtUp) {
            if (System.nanoTime() > deadline || !running) {
                throw new NotCaughtUpException(NotCaughtUpException.Reason.NOT_READABLE, null);
            }
            pause(Duration.ofMillis(20));
            known = partitions;
        }
        if (known.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> target = endOffsetsNow(known, offsetsTimeout);
        while (!caughtUpTo(target)) {
            if (System.nanoTime() > deadline) {
                throw new NotCaughtUpException(NotCaughtUpException.Reason.TOO_SLOW, null);
            }
            pause(Duration.ofMillis(10));
        }
    }

    private Map<TopicPartition, Long> endOffsetsNow(List<TopicPartition> known, Duration offsetsTimeout) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        known.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> target = new HashMap<>();
        try {
            admin().listOffsets(request).all().get(offsetsTimeout.toMillis(), TimeUnit.MILLISECONDS)
                    .forEach((tp, info) -> target.put(tp, info.offset()));
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            throw new NotCaughtUpException(NotCaughtUpException.Reason.END_OFFSETS_UNKNOWN, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotCaughtUpException(NotCaughtUpException.Reason.END_OFFSETS_UNKNOWN, e);
        }
        return target;
    }

    /** The admin client that tells end offsets, made on the first wait (readers nobody waits on never open one). */
    private synchronized Admin admin() {
        if (!running) {
            throw new IllegalStateException("the reader of " + settings.topic + " is stopped");
        }
        if (admin == null) {
            Properties props = new Properties();
            props.putAll(settings.connection);
            admin = Admin.create(props);
        }
        return admin;
    }

    private boolean caughtUpTo(Map<TopicPartition, Long> target) {
        return target != null && target.entrySet().stream()
                .allMatch(e -> positions.getOrDefault(e.getKey(), -1L) >= e.getValue());
    }

    private void run() {
        Duration backoff = settings.restartBackoff;
        while (running) {
            try {
                tail();
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                if (reachedTopic) {
                    backoff = settings.restartBackoff;
                    reachedTopic = false;
                }
                settings.onFailure.accept(e, backoff);
                if (!pause(backoff)) {
                    return;
                }
                Duration doubled = backoff.multipliedBy(2);
                backoff = doubled.compareTo(settings.maxRestartBackoff) > 0 ? settings.maxRestartBackoff : doubled;
            }
        }
    }

    private void tail() {
        Properties props = new Properties();
        props.putAll(settings.connection);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.putAll(settings.consumerProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.clientId);
        KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer());
        consumer = c;
        try {
            if (!running) {
                return;
            }
            List<TopicPartition> assigned = awaitPartitions(c);
            if (assigned.isEmpty()) {
                return;
            }
            c.assign(assigned);
            c.seekToBeginning(assigned);
            if (startupTarget == null) {
                startupTarget = c.endOffsets(assigned);
            }
            partitions = assigned;
            reachedTopic = true;
            settings.onRewind.accept(assigned);
            while (running) {
                for (ConsumerRecord<String, String> record : c.poll(settings.pollTimeout)) {
                    handler.apply(record.key(), record.value(), record.partition(), record.offset());
                }
                for (TopicPartition partition : assigned) {
                    positions.put(partition, c.position(partition));
                }
                if (!caughtUp && caughtUpTo(startupTarget)) {
                    caughtUp = true;
                    settings.onCaughtUp.run();
                }
            }
        } finally {
            c.close();
        }
    }

    private List<TopicPartition> awaitPartitions(KafkaConsumer<String, String> c) {
        boolean warned = false;
        while (running) {
            try {
                List<PartitionInfo> infos = c.partitionsFor(settings.topic, Duration.ofSeconds(10));
                if (infos != null && !infos.isEmpty()) {
                    return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                }
                if (partitions == null) {
                    partitions = List.of();
                }
                if (!warned || !settings.missingTopicWarnedOnce) {
                    Log.warnf(settings.missingTopicWarning, settings.topic);
                    warned = true;
                }
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                Log.warnf(settings.unreachableWarning, bootstrap, settings.topic);
            }
            if (!pause(settings.topicWait)) {
                break;
            }
        }
        return List.of();
    }

    /** Sleeps; false when interrupted (the thread is being stopped). */
    private static boolean pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
