package io.receiptranger.kafkalocal;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

/**
 * Runs one real Kafka broker in KRaft mode (broker and controller in this JVM), creates the
 * contract's topics and prints {@value #READY_MARKER} followed by the bootstrap address.
 *
 * <pre>java -cp 'lib/*' io.receiptranger.kafkalocal.KafkaLocal --dir DIR [--port 9092] [--controller-port 9093] [--partitions 3] [--scram-port P]</pre>
 *
 * With {@code --scram-port} the broker also listens there for SCRAM-SHA-512 logins and authorises
 * every request by ACLs, as Strimzi's simple authorization does (deploy/k8s/base/kafka.yaml): a
 * client on that port may do only what its user's ACLs allow. The plain port stays open to the
 * anonymous user as a super user, for the test that creates the users and their ACLs.
 *
 * The data directory survives restarts (it is formatted once), so the sink's ledger topic and
 * committed offsets are still there after `./ranger down` and `up`.
 */
public final class KafkaLocal {

    /** Printed on stdout once the broker serves requests and every topic exists. */
    public static final String READY_MARKER = "KAFKA_READY ";

    private KafkaLocal() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = parse(args);
        Path dir = Path.of(required(options, "--dir")).toAbsolutePath();
        int port = Integer.parseInt(options.getOrDefault("--port", "9092"));
        int controllerPort = Integer.parseInt(options.getOrDefault("--controller-port", "9093"));
        int partitions = Integer.parseInt(options.getOrDefault("--partitions", "3"));
        Integer scramPort = options.containsKey("--scram-port") ? Integer.valueOf(options.get("--scram-port")) : null;

        Files.createDirectories(dir);
        Path logDir = dir.resolve("data");
        Path config = writeConfig(dir, logDir, port, controllerPort, scramPort);
        formatOnce(config, logDir);

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(load(config)), Time.SYSTEM);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.shutdown();
            server.awaitShutdown();
            stopped.countDown();
        }, "kafka-local-shutdown"));
        server.startup();

        String bootstrap = "localhost:" + port;
        createTopics(bootstrap, partitions);
        System.out.println(READY_MARKER + bootstrap);
        System.out.flush();
        stopped.await();
    }

    private static Path writeConfig(Path dir, Path logDir, int port, int controllerPort, Integer scramPort) throws IOException {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("process.roles", "broker,controller");
        props.put("node.id", "1");
        props.put("controller.quorum.voters", "1@localhost:" + controllerPort);
        props.put("listeners", "PLAINTEXT://localhost:" + port + ",CONTROLLER://localhost:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://localhost:" + port);
        props.put("controller.listener.names", "CONTROLLER");
        props.put("inter.broker.listener.name", "PLAINTEXT");
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        if (scramPort != null) {
            props.put("listeners", props.get("listeners") + ",SCRAM://localhost:" + scramPort);
            props.put("advertised.listeners", props.get("advertised.listeners") + ",SCRAM://localhost:" + scramPort);
            props.put("listener.security.protocol.map", props.get("listener.security.protocol.map") + ",SCRAM:SASL_PLAINTEXT");
            props.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
            props.put("listener.name.scram.sasl.enabled.mechanisms", "SCRAM-SHA-512");
            props.put("listener.name.scram.scram-sha-512.sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            // The plain and controller listeners are the operator's (anonymous); the SCRAM one is the services'.
            props.put("super.users", "User:ANONYMOUS");
            props.put("allow.everyone.if.no.acl.found", "false");
        }
        props.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica.
        props.put("offsets.topic.replication.factor", "1");
        props.put("offsets.topic.num.partitions", "3");
        props.put("transaction.state.log.replication.factor", "1");
        props.put("transaction.state.log.min.isr", "1");
        props.put("share.coordinator.state.topic.replication.factor", "1");
        props.put("share.coordinator.state.topic.min.isr", "1");
        // Consumers join at once instead of waiting 3 s for more members.
        props.put("group.initial.rebalance.delay.ms", "0");
        // Topics are created here, with the contract's settings; a typo in a service must fail loudly.
        props.put("auto.create.topics.enable", "false");
        props.put("num.partitions", "3");
        props.put("log.retention.hours", "168");
        Path config = dir.resolve("server.properties");
        StringBuilder text = new StringBuilder("# written by KafkaLocal\n");
        props.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.writeString(config, text);
        return config;
    }

    private static void formatOnce(Path config, Path logDir) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        String clusterId;
        do {
            // A cluster id that starts with '-' would be read as an option.
            clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        } while (clusterId.startsWith("-"));
        int exit = StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", config.toString()},
                new PrintStream(System.err, true));
        if (exit != 0) {
            throw new IllegalStateException("formatting the Kafka storage in " + logDir + " failed (exit " + exit + ")");
        }
    }

    private static void createTopics(String bootstrap, int partitions) throws InterruptedException, ExecutionException {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "kafka-local-" + UUID.randomUUID());
        try (Admin admin = Admin.create(props)) {
            List<NewTopic> topics = Topics.all(partitions);
            for (NewTopic topic : topics) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
        }
    }

    private static Properties load(Path config) throws IOException {
        Properties props = new Properties();
        try (var reader = Files.newBufferedReader(config)) {
            props.load(reader);
        }
        return props;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name + "; usage: KafkaLocal --dir DIR [--port 9092] [--controller-port 9093]");
        }
        return value;
    }
}
