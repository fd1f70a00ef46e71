package io.receiptranger.deployment;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.NewTopic;

import io.receiptranger.kafkalocal.Topics;

/**
 * The topics every deployment must create, as tools/kafka-local defines them for the tests and
 * {@code ./ranger up} ({@code Topics.all(partitions)}): names, which topics scale with the
 * partition count (the others keep theirs, e.g. one partition per DLQ) and their settings.
 */
final class ContractTopics {

    record Topic(String name, boolean scaled, int fixedPartitions, Map<String, String> configs) {
    }

    private static final Pattern CREATE = Pattern.compile(
            "--create --if-not-exists --topic (\\S+) --partitions (\\d+) --replication-factor (\\d+)((?: --config \\S+)*)");

    /** A topic as a deployment creates it. */
    record Created(String name, int partitions, int replicationFactor, Map<String, String> configs) {
    }

    private ContractTopics() {
    }

    static List<Topic> all() {
        List<NewTopic> one = call(1);
        List<NewTopic> seven = call(7);
        return one.stream().map(t -> {
            NewTopic scaledVersion = seven.stream().filter(s -> s.name().equals(t.name())).findFirst().orElseThrow();
            boolean scaled = scaledVersion.numPartitions() == 7;
            return new Topic(t.name(), scaled, t.numPartitions(), t.configs() == null ? Map.of() : Map.copyOf(t.configs()));
        }).toList();
    }

    /** The {@code kafka-topics.sh --create} lines of a shell script (compose, ECS init containers). */
    static List<Created> parseCreateCommands(String script) {
        Matcher m = CREATE.matcher(script);
        java.util.ArrayList<Created> created = new java.util.ArrayList<>();
        while (m.find()) {
            Map<String, String> configs = new java.util.LinkedHashMap<>();
            for (String part : m.group(4).trim().split("\\s*--config\\s+")) {
                if (!part.isBlank()) {
                    String[] kv = part.trim().split("=", 2);
                    configs.put(kv[0], kv[1]);
                }
            }
            created.add(new Created(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), configs));
        }
        return created;
    }

    @SuppressWarnings("unchecked")
    private static List<NewTopic> call(int partitions) {
        try {
            // Package-private on purpose in kafka-local (only its launcher creates topics); read it as data.
            Method all = Topics.class.getDeclaredMethod("all", int.class);
            all.setAccessible(true);
            return (List<NewTopic>) all.invoke(null, partitions);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("kafka-local's Topics.all(int) changed shape", e);
        }
    }
}
