package io.receiptranger.deployment;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The CloudFormation resource specification, trimmed to the types our template uses
 * (test resources {@code cloudformation-spec/}, see its extract.py): which properties each
 * resource and property type has, which are required, their shapes, and the attributes
 * {@code Fn::GetAtt} may read.
 */
final class CloudFormationSpec {

    private final JsonNode resources;
    private final JsonNode types;

    private CloudFormationSpec(JsonNode root) {
        this.resources = root.get("resources");
        this.types = root.get("types");
    }

    static CloudFormationSpec load() {
        try (InputStream in = CloudFormationSpec.class.getResourceAsStream("/cloudformation-spec/resources.json")) {
            return new CloudFormationSpec(new ObjectMapper().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    boolean knows(String resourceType) {
        return resources.has(resourceType);
    }

    Set<String> attributes(String resourceType) {
        Set<String> names = new java.util.TreeSet<>();
        resources.path(resourceType).path("attributes").forEach(a -> names.add(a.asText()));
        return names;
    }

    /** Every property of a resource that the specification does not have, lacks, or shapes otherwise. */
    List<String> problems(String logicalId, String resourceType, Map<String, Object> properties) {
        List<String> problems = new ArrayList<>();
        if (resourceType.startsWith("Custom::")) {
            if (!properties.containsKey("ServiceToken")) {
                problems.add(logicalId + ": a custom resource needs a ServiceToken");
            }
            return problems;
        }
        JsonNode spec = resources.get(resourceType);
        if (spec == null) {
            problems.add(logicalId + ": " + resourceType + " is not in the vendored specification (re-run extract.py)");
            return problems;
        }
        checkObject(spec.get("properties"), properties, logicalId, problems);
        return problems;
    }

    private void checkObject(JsonNode propertySpecs, Object value, String path, List<String> problems) {
        if (isIntrinsic(value)) {
            checkIntrinsic(value, path, problems, v -> checkObject(propertySpecs, v, path, problems));
            return;
        }
        if (!(value instanceof Map<?, ?> map)) {
            problems.add(path + ": expected an object, got " + value);
            return;
        }
        map.forEach((k, v) -> {
            JsonNode property = propertySpecs.get(String.valueOf(k));
            if (property == null) {
                problems.add(path + "." + k + ": no such property");
            } else {
                checkValue(property.get("type"), v, path + "." + k, problems);
            }
        });
        propertySpecs.fields().forEachRemaining(e -> {
            if (e.getValue().path("required").asBoolean() && !map.containsKey(e.getKey())) {
                problems.add(path + "." + e.getKey() + ": required");
            }
        });
    }

    private void checkValue(JsonNode shape, Object value, String path, List<String> problems) {
        if (isIntrinsic(value)) {
            checkIntrinsic(value, path, problems, v -> checkValue(shape, v, path, problems));
            return;
        }
        switch (shape.get("type").asText()) {
            case "ref" -> checkObject(types.get(shape.get("ref").asText()).get("properties"), value, path, problems);
            case "array" -> {
                if (value instanceof List<?> list) {
                    for (int i = 0; i < list.size(); i++) {
                        checkValue(shape.get("element"), list.get(i), path + "[" + i + "]", problems);
                    }
                } else {
                    problems.add(path + ": expected a list, got " + value);
                }
            }
            case "map" -> {
                if (value instanceof Map<?, ?> map) {
                    map.forEach((k, v) -> checkValue(shape.get("element"), v, path + "." + k, problems));
                } else {
                    problems.add(path + ": expected a map, got " + value);
                }
            }
            case "union" -> {
                List<List<String>> attempts = new ArrayList<>();
                for (JsonNode option : shape.get("types")) {
                    List<String> attempt = new ArrayList<>();
                    checkValue(option, value, path, attempt);
                    if (attempt.isEmpty()) {
                        return;
                    }
                    attempts.add(attempt);
                }
                problems.add(path + ": matches none of its shapes " + attempts);
            }
            case "integer", "number" -> {
                if (!(value instanceof Number) && !String.valueOf(value).matches("-?\\d+(\\.\\d+)?")) {
                    problems.add(path + ": expected a number, got " + value);
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean) && !String.valueOf(value).matches("true|false")) {
                    problems.add(path + ": expected a boolean, got " + value);
                }
            }
            case "string" -> {
                if (value instanceof Map || value instanceof List) {
                    problems.add(path + ": expected a string, got " + value);
                }
            }
            default -> {
                // json, tag, date-time: any value
            }
        }
    }

    /** {@code Fn::If} branches are checked as values of the same shape; other intrinsics produce one. */
    private static void checkIntrinsic(Object value, String path, List<String> problems, java.util.function.Consumer<Object> check) {
        Map<?, ?> map = (Map<?, ?>) value;
        if (map.containsKey("Fn::If")) {
            List<Object> args = Yamls.list(map.get("Fn::If"));
            for (Object branch : args.subList(1, args.size())) {
                if (!Map.of("Ref", "AWS::NoValue").equals(branch)) {
                    check.accept(branch);
                }
            }
        }
    }

    static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> map && map.size() == 1) {
            String key = String.valueOf(map.keySet().iterator().next());
            return key.equals("Ref") || key.startsWith("Fn::");
        }
        return false;
    }
}
