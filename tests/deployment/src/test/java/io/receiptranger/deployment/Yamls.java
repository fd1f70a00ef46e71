package io.receiptranger.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** YAML as plain maps and lists (SnakeYAML: merge keys as Compose uses them, CloudFormation's short tags). */
final class Yamls {

    private Yamls() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> load(Path file) {
        Object doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(Repo.read(file));
        return (Map<String, Object>) doc;
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> loadAll(Path file) {
        List<Map<String, Object>> docs = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(Repo.read(file))) {
            if (doc != null) {
                docs.add((Map<String, Object>) doc);
            }
        }
        return docs;
    }

    /**
     * A CloudFormation template with its short-form intrinsics ({@code !Ref x}, {@code !GetAtt a.b},
     * {@code !Sub ...}) turned into the long form ({@code {"Ref": x}}, {@code {"Fn::GetAtt": [a, b]}}).
     */
    @SuppressWarnings("unchecked")
    static Map<String, Object> loadCloudFormation(Path file) {
        return (Map<String, Object>) new Yaml(new CloudFormationConstructor()).load(Repo.read(file));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object value) {
        return value instanceof List<?> l ? (List<Object>) l : List.of();
    }

    /** The value at a dotted path of map keys, or null. */
    static Object at(Object root, String... keys) {
        Object current = root;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    static String str(Object value) {
        return value == null ? null : String.valueOf(value);
    }

    private static final class CloudFormationConstructor extends SafeConstructor {

        CloudFormationConstructor() {
            super(new LoaderOptions());
            this.yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    String tag = node.getTag().getValue().substring(1);
                    String function = tag.equals("Ref") || tag.equals("Condition") ? tag : "Fn::" + tag;
                    Object value;
                    if (node instanceof ScalarNode scalar) {
                        value = constructScalar(scalar);
                    } else if (node instanceof SequenceNode sequence) {
                        value = constructSequence(sequence);
                    } else {
                        value = constructMapping((MappingNode) node);
                    }
                    if (function.equals("Fn::GetAtt") && value instanceof String dotted) {
                        value = List.of(dotted.split("\\.", 2));
                    }
                    Map<String, Object> intrinsic = new LinkedHashMap<>();
                    intrinsic.put(function, value);
                    return intrinsic;
                }
            });
        }
    }
}
