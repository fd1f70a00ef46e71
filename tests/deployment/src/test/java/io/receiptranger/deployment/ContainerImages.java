package io.receiptranger.deployment;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A service's {@code ## Container image} settings, resolved the way the Maven build resolves them. */
final class ContainerImages {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([a-z.]+)(?::([^{}]*|\\$\\{[^}]*}))?}");

    private ContainerImages() {
    }

    /** A property's value with {@code ${images.*}} taken from the root pom (as the build does). */
    static String resolved(ServiceConfig config, String key) {
        String value = config.properties.getProperty(key);
        if (value == null) {
            return null;
        }
        Map<String, String> pom = Repo.pomProperties();
        Matcher m = EXPRESSION.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String replacement = pom.containsKey(m.group(1)) ? pom.get(m.group(1))
                    : m.group(1).equals("quarkus.application.name") ? config.name : m.group(0);
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The same value as a build without the pom's properties would see it (the defaults after ':'). */
    static String withDefaults(ServiceConfig config, String key, String applicationVersion) {
        String value = config.properties.getProperty(key);
        String previous;
        do {
            previous = value;
            Matcher m = EXPRESSION.matcher(value);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String replacement = name.equals("quarkus.application.version") ? applicationVersion
                        : m.group(2) != null ? m.group(2) : m.group(0);
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            value = out.toString();
        } while (!value.equals(previous));
        return value;
    }

    /** {@code quarkus.jib.jvm-arguments} as a list (Quarkus lists are comma-separated). */
    static List<String> jvmArguments(ServiceConfig config) {
        String value = config.properties.getProperty("quarkus.jib.jvm-arguments", "");
        return Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
