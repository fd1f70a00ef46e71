package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Kafka on Kubernetes authenticates and authorises every client (issue 10): Strimzi's v1 API, SCRAM
 * on every listener with network-policy peers, one KafkaUser per service whose ACLs name exactly the
 * topics and groups of that service's channels (read from its application.properties, so a new
 * channel without its ACL fails here), each Deployment logging in as its own user, brokers on
 * different nodes, and a graceful stop.
 */
class KafkaSecurityTest {

    static final List<String> SERVICES = Repo.SERVICES;

    @Test
    void everyStrimziObjectUsesTheV1Api() {
        List<String> versions = Deployments.kubernetesObjects().stream().map(e -> Yamls.str(e.getValue().get("apiVersion")))
                .filter(v -> v.startsWith("kafka.strimzi.io")).toList();
        assertThat(versions).isNotEmpty().containsOnly("kafka.strimzi.io/v1");
    }

    @Test
    void everyListenerAuthenticatesWithScramAndAdmitsOnlyItsPeers() {
        Map<String, Object> kafka = Deployments.baseObjects("Kafka").values().iterator().next();
        assertThat(Yamls.str(Yamls.at(kafka, "spec", "kafka", "authorization", "type"))).isEqualTo("simple");
        for (Object listener : Yamls.list(Yamls.at(kafka, "spec", "kafka", "listeners"))) {
            assertThat(Yamls.str(Yamls.at(listener, "authentication", "type"))).as("%s", listener).isEqualTo("scram-sha-512");
            List<String> peers = Yamls.list(Yamls.at(listener, "networkPolicyPeers")).stream()
                    .map(p -> Yamls.str(Yamls.at(p, "podSelector", "matchLabels", "app.kubernetes.io/name")))
                    .filter(java.util.Objects::nonNull).toList();
            assertThat(peers).as("%s", listener).containsAll(SERVICES);
        }
    }

    @Test
    void noTwoBrokersShareANode() {
        for (Map<String, Object> pool : Deployments.baseObjects("KafkaNodePool").values()) {
            Object required = Yamls.at(pool, "spec", "template", "pod", "affinity", "podAntiAffinity",
                    "requiredDuringSchedulingIgnoredDuringExecution");
            assertThat(Yamls.list(required)).anySatisfy(term -> {
                assertThat(Yamls.str(Yamls.at(term, "topologyKey"))).isEqualTo("kubernetes.io/hostname");
                assertThat(Yamls.str(Yamls.at(term, "labelSelector", "matchLabels", "strimzi.io/pool-name")))
                        .isEqualTo(Yamls.str(Yamls.at(pool, "metadata", "name")));
            });
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void eachServiceHasAUserAllowedExactlyItsTopicsAndGroups(String service) {
        Map<String, Object> user = Deployments.baseObjects("KafkaUser").get(service);
        assertThat(user).as("KafkaUser %s", service).isNotNull();
        assertThat(Yamls.str(Yamls.at(user, "spec", "authentication", "type"))).isEqualTo("scram-sha-512");

        Set<String> writes = new TreeSet<>();
        Set<String> reads = new TreeSet<>();
        Set<String> consumedGroups = new TreeSet<>();
        Set<String> describedGroups = new TreeSet<>();
        for (Object acl : Yamls.list(Yamls.at(user, "spec", "authorization", "acls"))) {
            String type = Yamls.str(Yamls.at(acl, "resource", "type"));
            String name = Yamls.str(Yamls.at(acl, "resource", "name"));
            List<Object> operations = Yamls.list(Yamls.at(acl, "operations"));
            assertThat(operations).as("%s %s", service, name).doesNotContain("All");
            if (type.equals("topic")) {
                // every client asks the topic's metadata first
                assertThat(operations).as("%s %s", service, name).contains("Describe");
                if (operations.contains("Write")) {
                    writes.add(name);
                }
                if (operations.contains("Read")) {
                    reads.add(name);
                }
            }
            if (type.equals("group")) {
                String group = name + ("prefix".equals(Yamls.str(Yamls.at(acl, "resource", "patternType"))) ? "*" : "");
                (operations.contains("Read") ? consumedGroups : describedGroups).add(group);
            }
        }
        Channels channels = Channels.of(service);
        assertThat(writes).as("%s writes", service).isEqualTo(channels.writes);
        assertThat(reads).as("%s reads", service).isEqualTo(channels.reads);
        assertThat(consumedGroups).as("%s consumer groups", service).isEqualTo(channels.groups);
        assertThat(describedGroups).as("%s groups it only describes", service).isEqualTo(channels.describedGroups);
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void everyPlainKafkaClientOfAServiceIsAccountedFor(String service) throws Exception {
        // A class that builds its own consumer, producer or admin client, or reads a topic through the
        // service's CompactedTopicReader, needs its topics in the service's KafkaUser too: PLAIN_CLIENTS
        // names them, and a new one must be added there. The reader itself is left out: it reads only
        // the topic its caller names, so the caller is the one accounted for.
        Set<String> found = new TreeSet<>();
        Path sources = Repo.path("services", service, "src", "main", "java");
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String code = Files.readString(file);
                String name = file.getFileName().toString().replace(".java", "");
                boolean ownClient = code.contains("new KafkaConsumer") || code.contains("new KafkaProducer")
                        || code.contains("Admin.create") || code.contains("AdminClient.create");
                boolean readsThroughTheReader = code.contains("CompactedTopicReader.of(");
                if (!name.equals("CompactedTopicReader") && (ownClient || readsThroughTheReader)) {
                    found.add(name);
                }
            }
        }
        assertThat(found).as("%s's own Kafka clients", service).isEqualTo(PLAIN_CLIENTS.get(service).keySet());
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void eachDeploymentLogsInAsItsOwnUserAndStopsGracefully(String service) {
        Map<String, Object> deployment = Deployments.baseObjects("Deployment").get(service);
        Object container = Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "containers")).get(0);
        Map<String, Object> env = new java.util.HashMap<>();
        for (Object e : Yamls.list(Yamls.at(container, "env"))) {
            env.put(Yamls.str(Yamls.at(e, "name")), e);
        }
        assertThat(Yamls.str(Yamls.at(env.get("KAFKA_SECURITY_PROTOCOL"), "value"))).isEqualTo("SASL_PLAINTEXT");
        assertThat(Yamls.str(Yamls.at(env.get("KAFKA_SASL_MECHANISM"), "value"))).isEqualTo("SCRAM-SHA-512");
        assertThat(Yamls.str(Yamls.at(env.get("KAFKA_SASL_JAAS_CONFIG"), "valueFrom", "secretKeyRef", "name"))).isEqualTo(service);
        assertThat(Yamls.str(Yamls.at(env.get("KAFKA_SASL_JAAS_CONFIG"), "valueFrom", "secretKeyRef", "key")))
                .isEqualTo("sasl.jaas.config");

        // preStop sleep + Quarkus's shutdown timeout fit in the grace period
        long sleep = ((Number) Yamls.at(container, "lifecycle", "preStop", "sleep", "seconds")).longValue();
        long grace = ((Number) Yamls.at(deployment, "spec", "template", "spec", "terminationGracePeriodSeconds")).longValue();
        String timeout = ServiceConfig.load(service).properties.getProperty("quarkus.shutdown.timeout");
        assertThat(timeout).as("%s quarkus.shutdown.timeout", service).isNotNull();
        assertThat(sleep + ServiceConfig.duration(timeout).toSeconds()).isLessThan(grace);
    }

    /** What one of a service's own Kafka clients reads, writes and describes, beside the channels. */
    record PlainClient(Set<String> reads, Set<String> writes, Set<String> describedGroups) {
    }

    /**
     * Each service's own Kafka clients (classes that build a consumer, producer or admin client), as
     * their code uses them; checked against the sources by everyPlainKafkaClientOfAServiceIsAccountedFor.
     */
    static final Map<String, Map<String, PlainClient>> PLAIN_CLIENTS = Map.of(
            "ingest", Map.of(
                    // describes the views' topics to know where they end (readiness)
                    "CatchUp", new PlainClient(Set.of(), Set.of(), Set.of()),
                    // lists the dead letters; a replay goes back out through the receipts-out channel
                    "DeadLetters", new PlainClient(Set.of("receipts-dlq", "extractions-dlq"), Set.of("receipts", "extractions"), Set.of()),
                    // the readers' committed offsets and the dead-letter topics' depth
                    "PipelineLag", new PlainClient(Set.of(), Set.of(), Set.of("extractor", "sheets-sink"))),
            "extractor", Map.of(
                    "OwnerModelKeys", new PlainClient(Set.of("owner-settings"), Set.of(), Set.of()),
                    "KnownPhotos", new PlainClient(Set.of("sheets-ledger"), Set.of(), Set.of())),
            "sheets-sink", Map.of(
                    "KafkaLedger", new PlainClient(Set.of("sheets-ledger"), Set.of("sheets-ledger"), Set.of()),
                    "OwnerSpreadsheets", new PlainClient(Set.of("owner-settings"), Set.of(), Set.of())));

    /**
     * What a service reads, writes and consumes as: topic= and group.id= of its application.properties,
     * plus what its own clients use (PLAIN_CLIENTS).
     */
    record Channels(Set<String> reads, Set<String> writes, Set<String> groups, Set<String> describedGroups) {

        static Channels of(String service) {
            java.util.Properties p = ServiceConfig.load(service).properties;
            Set<String> reads = new TreeSet<>();
            Set<String> writes = new TreeSet<>();
            Set<String> groups = new TreeSet<>();
            Set<String> described = new TreeSet<>();
            for (String key : new ArrayList<>(p.stringPropertyNames())) {
                String value = p.getProperty(key);
                if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".dead-letter-queue.topic")) {
                    writes.add(value);
                } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".topic")) {
                    reads.add(value);
                } else if (key.startsWith("mp.messaging.outgoing.") && key.endsWith(".topic")) {
                    writes.add(value);
                } else if (key.startsWith("mp.messaging.incoming.") && key.endsWith(".group.id")) {
                    // a per-replica group (${ranger.views.group}-…) is granted by its fixed prefix
                    groups.add(value.contains("${") ? p.getProperty("ranger.views.group").replaceAll("\\$\\{.*", "") + "*" : value);
                }
            }
            for (PlainClient client : PLAIN_CLIENTS.get(service).values()) {
                reads.addAll(client.reads());
                writes.addAll(client.writes());
                described.addAll(client.describedGroups());
            }
            return new Channels(reads, writes, groups, described);
        }
    }
}
