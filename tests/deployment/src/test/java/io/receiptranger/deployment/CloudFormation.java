package io.receiptranger.deployment;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The ECS template, readable two ways: raw (intrinsics as {@code {"Ref": ...}} maps, for the
 * structural checks) and evaluated with every parameter at its default (conditions decided,
 * {@code AWS::NoValue} dropped, {@code Sub} filled in), which is what a default deployment runs.
 */
final class CloudFormation {

    static final Set<String> PSEUDO_PARAMETERS = Set.of("AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
            "AWS::Partition", "AWS::Region", "AWS::StackId", "AWS::StackName", "AWS::URLSuffix");
    static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");
    private static final Object NO_VALUE = new Object();

    final Map<String, Object> template;
    private final Map<String, String> parameterValues;

    CloudFormation(Path file) {
        this(Yamls.loadCloudFormation(file), Map.of());
    }

    private CloudFormation(Map<String, Object> template, Map<String, String> parameterValues) {
        this.template = template;
        this.parameterValues = parameterValues;
    }

    /** The same template evaluated as a stack deployed with these parameters (the rest at their defaults). */
    CloudFormation withParameters(Map<String, String> values) {
        return new CloudFormation(template, values);
    }

    Map<String, Object> section(String name) {
        return Yamls.map(template.get(name));
    }

    Map<String, Object> resource(String logicalId) {
        return Yamls.map(section("Resources").get(logicalId));
    }

    /** Logical ids of the resources of one type. */
    List<String> resourcesOfType(String type) {
        return section("Resources").entrySet().stream()
                .filter(e -> type.equals(Yamls.map(e.getValue()).get("Type")))
                .map(Map.Entry::getKey).toList();
    }

    Object parameterDefault(String name) {
        return Yamls.map(section("Parameters").get(name)).get("Default");
    }

    /** The value as CloudFormation would compute it with every parameter at its default. */
    Object evaluate(Object node) {
        Object value = eval(node);
        return value == NO_VALUE ? null : value;
    }

    private Object eval(Object node) {
        if (node instanceof Map<?, ?> map) {
            if (map.size() == 1) {
                Map.Entry<?, ?> only = map.entrySet().iterator().next();
                String key = String.valueOf(only.getKey());
                Object arg = only.getValue();
                switch (key) {
                    case "Ref":
                        return ref(String.valueOf(arg));
                    case "Fn::If": {
                        List<Object> args = Yamls.list(arg);
                        return eval(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
                    }
                    case "Fn::Sub":
                        return sub(arg);
                    case "Fn::GetAtt":
                        return "<" + String.join(".", Yamls.list(arg).stream().map(String::valueOf).toList()) + ">";
                    default:
                        if (key.startsWith("Fn::")) {
                            return "<" + key + ">";
                        }
                }
            }
            Map<String, Object> result = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                Object v = eval(e.getValue());
                if (v != NO_VALUE) {
                    result.put(String.valueOf(e.getKey()), v);
                }
            }
            return result;
        }
        if (node instanceof List<?> list) {
            List<Object> result = new ArrayList<>();
            for (Object item : list) {
                Object v = eval(item);
                if (v != NO_VALUE) {
                    result.add(v);
                }
            }
            return result;
        }
        return node;
    }

    private Object ref(String name) {
        if (name.equals("AWS::NoValue")) {
            return NO_VALUE;
        }
        if (parameterValues.containsKey(name)) {
            return parameterValues.get(name);
        }
        if (section("Parameters").containsKey(name)) {
            Object def = parameterDefault(name);
            return def == null ? "<" + name + ">" : String.valueOf(def);
        }
        return "<" + name + ">";
    }

    private String sub(Object arg) {
        String text;
        Map<String, Object> vars = Map.of();
        if (arg instanceof List<?> l) {
            text = String.valueOf(l.get(0));
            vars = Yamls.map(l.get(1));
        } else {
            text = String.valueOf(arg);
        }
        Matcher m = SUB_VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            Object value = vars.containsKey(name) ? eval(vars.get(name))
                    : name.contains(".") ? "<" + name + ">" : ref(name);
            m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString().replace("${!", "${");
    }

    boolean condition(String name) {
        Object definition = section("Conditions").get(name);
        if (definition == null) {
            throw new IllegalStateException("no condition " + name);
        }
        return conditionValue(definition);
    }

    private boolean conditionValue(Object node) {
        Map<String, Object> map = Yamls.map(node);
        Map.Entry<String, Object> only = map.entrySet().iterator().next();
        List<Object> args = Yamls.list(only.getValue());
        return switch (only.getKey()) {
            case "Fn::Equals" -> Objects.equals(String.valueOf(eval(args.get(0))), String.valueOf(eval(args.get(1))));
            case "Fn::Not" -> !conditionValue(args.get(0));
            case "Fn::And" -> args.stream().allMatch(this::conditionValue);
            case "Fn::Or" -> args.stream().anyMatch(this::conditionValue);
            case "Condition" -> condition(String.valueOf(only.getValue()));
            default -> throw new IllegalStateException("unsupported condition function " + only.getKey());
        };
    }
}
