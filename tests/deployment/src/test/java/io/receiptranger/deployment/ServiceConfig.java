package io.receiptranger.deployment;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What a service's own source says about how it must be deployed: its port, the environment
 * variables it reads (from {@code ${VAR}} expressions in application.properties, from its
 * {@code @ConfigMapping(prefix = "ranger")} and from CONTRACT.md §5 names in its code), the
 * WebSocket ping interval and its container-image settings.
 */
final class ServiceConfig {

    /** CONTRACT.md §5: the variables an operator may set. */
    static final Set<String> CONTRACT_VARIABLES = Set.of("KAFKA_BOOTSTRAP_SERVERS", "OPENAI_API_KEY", "OPENAI_BASE_URL",
            "OPENAI_MODEL", "GOOGLE_SHEETS_SPREADSHEET_ID", "GOOGLE_SHEETS_CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIALS",
            "GOOGLE_SHEETS_ROOT_URL", "RANGER_BLOB_STORE", "QUARKUS_HTTP_PORT", "RANGER_SINK_URL", "RANGER_ALLOWED_ORIGINS",
            "RANGER_MODEL_CONCURRENCY", "RANGER_SHEETS_OWNERS", "RANGER_BLOB_RETENTION_DAYS", "PROMPT_INJECTION_BLOCK_SCORE");

    /** {@code ${NAME}} or {@code ${NAME:default}} with an environment-style name. */
    private static final Pattern ENV_EXPRESSION = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::([^}]*))?}");
    private static final Pattern STRING_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9_]{3,})\"");
    private static final Pattern METHOD = Pattern.compile("^\\s*([\\w.<>?, ]+?)\\s+(\\w+)\\(\\);");
    private static final Pattern WITH_DEFAULT = Pattern.compile("@WithDefault\\(\"(.*)\"\\)");
    private static final Pattern WITH_NAME = Pattern.compile("@WithName\\(\"(.*)\"\\)");

    final String name;
    final Properties properties;
    /** Variable → its default ({@code Optional.empty()}: none, the deployment must set it). */
    final Map<String, Optional<String>> variables;
    /** Everything the service would read from the environment, for typo checks. */
    final Set<String> knownVariables;
    final String mainSources;

    private ServiceConfig(String name, Properties properties, Map<String, Optional<String>> variables,
            Set<String> knownVariables, String mainSources) {
        this.name = name;
        this.properties = properties;
        this.variables = variables;
        this.knownVariables = knownVariables;
        this.mainSources = mainSources;
    }

    static ServiceConfig load(String service) {
        Path module = Repo.path("services", service);
        Path propertiesFile = module.resolve("src/main/resources/application.properties");
        if (!Files.isRegularFile(propertiesFile)) {
            throw new IllegalStateException(propertiesFile + " does not exist: the service's configuration is the reference");
        }
        String text = Repo.read(propertiesFile);
        Properties all = new Properties();
        try {
            all.load(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // Profile-specific keys (%test., %dev.) never apply in a deployment.
        Properties properties = new Properties();
        all.stringPropertyNames().stream().filter(k -> !k.startsWith("%")).forEach(k -> properties.setProperty(k, all.getProperty(k)));

        Map<String, Optional<String>> variables = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = ENV_EXPRESSION.matcher(properties.getProperty(key));
            while (m.find()) {
                variables.merge(m.group(1), Optional.ofNullable(m.group(2)), (a, b) -> a.isPresent() ? a : b);
            }
        }
        String sources = javaSources(module.resolve("src/main/java"));
        Set<String> setInProperties = new LinkedHashSet<>();
        properties.stringPropertyNames().forEach(k -> setInProperties.add(k.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_")));
        // A mapped property without @WithDefault may still get its value from application.properties.
        mappedVariables(sources).forEach((k, v) -> variables.putIfAbsent(k,
                v.isEmpty() && setInProperties.contains(k) ? Optional.of("(application.properties)") : v));

        Set<String> known = new LinkedHashSet<>(variables.keySet());
        for (String key : properties.stringPropertyNames()) {
            known.add(key.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_"));
        }
        Matcher literal = STRING_LITERAL.matcher(sources);
        while (literal.find()) {
            if (CONTRACT_VARIABLES.contains(literal.group(1))) {
                known.add(literal.group(1));
            }
        }
        return new ServiceConfig(service, properties, variables, known, sources);
    }

    int httpPort() {
        return Integer.parseInt(properties.getProperty("quarkus.http.port", "8080"));
    }

    /** Health endpoints under Quarkus's non-application root (default {@code /q/health/...}). */
    String healthPath(String check) {
        String root = properties.getProperty("quarkus.http.non-application-root-path", "q");
        String health = properties.getProperty("quarkus.smallrye-health.root-path", "health");
        return "/" + trim(root) + "/" + trim(health) + "/" + check;
    }

    Optional<Duration> webSocketPingInterval() {
        return Optional.ofNullable(properties.getProperty("quarkus.websockets-next.server.auto-ping-interval"))
                .map(ServiceConfig::duration);
    }

    /**
     * Whether the deployment must set this variable: no default at all, or a default that only
     * makes sense on a developer's machine (localhost, a folder relative to the working directory).
     */
    boolean mustBeSet(String variable) {
        Optional<String> def = variables.get(variable);
        if (def == null) {
            return false;
        }
        if (def.isEmpty()) {
            return true;
        }
        String value = def.get();
        return value.contains("localhost") || (value.startsWith("file:") && !value.startsWith("file:/"));
    }

    /** True when the variable is optional for the service (absent: a feature is off). */
    boolean isOptional(String variable) {
        return variables.containsKey(variable) && !mustBeSet(variable);
    }

    static Duration duration(String text) {
        String t = text.trim();
        if (t.startsWith("P") || t.startsWith("p")) {
            return Duration.parse(t);
        }
        Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(t);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a Quarkus duration: " + text);
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "ms" -> Duration.ofMillis(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    private static String trim(String segment) {
        return segment.replaceAll("^/+|/+$", "");
    }

    private static String javaSources(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(p -> p.toString().endsWith(".java")).sorted().forEach(p -> all.append(Repo.read(p)).append('\n'));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /**
     * The properties of {@code @ConfigMapping(prefix = "ranger")} interfaces, as the environment
     * variables that set them ({@code blobStore()} → {@code RANGER_BLOB_STORE}, a nested group's
     * {@code sheets().owners()} → {@code RANGER_SHEETS_OWNERS}), with their {@code @WithDefault}.
     * Optional properties count as defaulted (empty).
     */
    static Map<String, Optional<String>> mappedVariables(String sources) {
        Map<String, Optional<String>> result = new LinkedHashMap<>();
        int at = 0;
        while ((at = sources.indexOf("@ConfigMapping(prefix = \"ranger\")", at)) >= 0) {
            int open = sources.indexOf('{', at);
            int end = matchingBrace(sources, open);
            String mapping = sources.substring(open, end + 1);
            collect(mapping, mapping, "RANGER_", result, 0);
            at = end;
        }
        return result;
    }

    /** Reads the methods at the top level of {@code body} (an interface's braces included). */
    private static void collect(String mapping, String body, String prefix, Map<String, Optional<String>> result, int nesting) {
        if (nesting > 5) {
            return;
        }
        int depth = 0;
        String pendingDefault = null;
        String pendingName = null;
        for (String line : body.split("\n")) {
            String code = line.trim();
            boolean comment = code.startsWith("*") || code.startsWith("/*") || code.startsWith("//");
            if (depth == 1 && !comment) {
                Matcher d = WITH_DEFAULT.matcher(code);
                if (d.find()) {
                    pendingDefault = d.group(1);
                }
                Matcher n = WITH_NAME.matcher(code);
                if (n.find()) {
                    pendingName = n.group(1);
                }
                Matcher method = METHOD.matcher(line);
                if (method.find()) {
                    String type = method.group(1).trim();
                    String property = pendingName != null ? pendingName : kebab(method.group(2));
                    String env = prefix + property.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                    int group = mapping.indexOf("interface " + type + " {");
                    if (group >= 0) {
                        int groupOpen = mapping.indexOf('{', group);
                        collect(mapping, mapping.substring(groupOpen, matchingBrace(mapping, groupOpen) + 1), env + "_", result,
                                nesting + 1);
                    } else {
                        // Optional values may be absent; a Map may be empty (its keys are the variables).
                        boolean optional = type.startsWith("Optional") || type.startsWith("Map");
                        result.putIfAbsent(env, pendingDefault != null ? Optional.of(pendingDefault)
                                : optional ? Optional.of("") : Optional.empty());
                    }
                    pendingDefault = null;
                    pendingName = null;
                }
            }
            if (!comment) {
                for (char c : line.toCharArray()) {
                    if (c == '{') {
                        depth++;
                    } else if (c == '}') {
                        depth--;
                    }
                }
            }
        }
    }

    private static int matchingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            if (text.charAt(i) == '{') {
                depth++;
            } else if (text.charAt(i) == '}' && --depth == 0) {
                return i;
            }
        }
        throw new IllegalStateException("unbalanced braces in a @ConfigMapping");
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** Names of the {@code ## Container image} block's keys present in this service's properties. */
    List<String> containerImageKeys() {
        return properties.stringPropertyNames().stream()
                .filter(k -> k.startsWith("quarkus.container-image.") || k.startsWith("quarkus.jib."))
                .sorted().toList();
    }
}
