package io.receiptranger.deployment;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Kubernetes manifests read into the fabric8 Kubernetes object model (and Strimzi's model for its
 * resources). Both keep a field they do not know, or one of the wrong type, in a catch-all
 * {@code additionalProperties} map instead of failing: {@link #unknownFields} finds those.
 */
final class ObjectModel {

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Class<? extends KubernetesResource>> STRIMZI = Map.of(
            "Kafka", Kafka.class, "KafkaNodePool", KafkaNodePool.class, "KafkaTopic", KafkaTopic.class,
            "KafkaUser", KafkaUser.class);

    private ObjectModel() {
    }

    /** The typed object for a manifest (a {@link GenericKubernetesResource} when no model knows its kind). */
    static KubernetesResource read(Map<String, Object> manifest) {
        String json = SERIALIZATION.asJson(manifest);
        String apiVersion = String.valueOf(manifest.get("apiVersion"));
        Class<? extends KubernetesResource> strimzi = STRIMZI.get(String.valueOf(manifest.get("kind")));
        if (apiVersion.startsWith("kafka.strimzi.io/") && strimzi != null) {
            return SERIALIZATION.unmarshal(json, strimzi);
        }
        return SERIALIZATION.unmarshal(json);
    }

    /** Paths of every value the model did not recognise, e.g. {@code spec.template.spec.containers[0].livenesProbe}. */
    static List<String> unknownFields(Object model) {
        List<String> found = new ArrayList<>();
        walk(model, "", found, Collections.newSetFromMap(new IdentityHashMap<>()));
        return found;
    }

    private static void walk(Object value, String path, List<String> found, Set<Object> seen) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Enum<?> || value instanceof Class<?> || !seen.add(value)) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, path + "." + k, found, seen));
            return;
        }
        if (value instanceof Iterable<?> list) {
            int i = 0;
            for (Object item : list) {
                walk(item, path + "[" + i++ + "]", found, seen);
            }
            return;
        }
        String pkg = value.getClass().getPackageName();
        if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            String name = getter.getName();
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(name.startsWith("get") || name.startsWith("is")) || name.equals("getClass")) {
                continue;
            }
            Object child;
            try {
                child = getter.invoke(value);
            } catch (ReflectiveOperationException | RuntimeException e) {
                continue;
            }
            if (name.equals("getAdditionalProperties")) {
                if (child instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    found.add((path.isEmpty() ? "" : path.substring(1) + ": ") + extra.keySet());
                }
                continue;
            }
            String property = name.startsWith("is") ? name.substring(2) : name.substring(3);
            walk(child, path + "." + Character.toLowerCase(property.charAt(0)) + property.substring(1), found, seen);
        }
    }
}
