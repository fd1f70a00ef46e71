package io.receiptranger.deployment;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.receiptranger.deployment.DeployedContainer.Env;
import io.receiptranger.deployment.DeployedContainer.Literal;
import io.receiptranger.deployment.DeployedContainer.SecretRef;

/** Reads docker-compose.yml, deploy/k8s and deploy/ecs into {@link DeployedContainer}s. */
final class Deployments {

    static final Path COMPOSE = Path.of("docker-compose.yml");
    static final Path K8S_BASE = Path.of("deploy", "k8s", "base");
    static final Path K8S_OVERLAY = Path.of("deploy", "k8s", "overlays", "production");
    static final Path ECS_TEMPLATE = Path.of("deploy", "ecs", "receipt-ranger.yaml");

    /** A compose value that is only a variable of the operator's environment, empty by default. */
    private static final Pattern UNSET_VARIABLE = Pattern.compile("^\\$\\{([A-Z][A-Z0-9_]*)(:-)?}$");
    private static final Pattern TCP_CHECK = Pattern.compile("/dev/tcp/[^/]+/(\\d+).*GET (\\S+) HTTP");

    private Deployments() {
    }

    static List<DeployedContainer> all() {
        List<DeployedContainer> all = new ArrayList<>();
        all.addAll(compose());
        all.addAll(kubernetes());
        all.addAll(ecs());
        all.addAll(ecs(ECS_WITH_EVERYTHING, ECS_WITH_EVERYTHING_LABEL));
        return all;
    }

    // ------------------------------------------------------------------ compose

    static Map<String, Object> composeFile() {
        return Yamls.load(Repo.root().resolve(COMPOSE));
    }

    static List<DeployedContainer> compose() {
        Map<String, Object> services = Yamls.map(composeFile().get("services"));
        List<DeployedContainer> result = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Map<String, Object> s = Yamls.map(services.get(service));
            if (s.isEmpty()) {
                throw new AssertionError("docker-compose.yml has no service " + service);
            }
            Map<String, Env> env = new LinkedHashMap<>();
            Yamls.map(s.get("environment")).forEach((k, v) -> {
                String value = Yamls.str(v);
                env.put(k, UNSET_VARIABLE.matcher(value).matches() ? new SecretRef(value) : new Literal(value));
            });
            List<Integer> ports = new ArrayList<>();
            Yamls.list(s.get("expose")).forEach(p -> ports.add(Integer.parseInt(String.valueOf(p))));
            Yamls.list(s.get("ports")).forEach(p -> {
                String[] parts = String.valueOf(p).split(":");
                ports.add(Integer.parseInt(parts[parts.length - 1]));
            });
            List<String> checks = new ArrayList<>();
            Object test = Yamls.at(s, "healthcheck", "test");
            if (test != null) {
                healthCheck(String.join(" ", Yamls.list(test).stream().map(String::valueOf).toList())).ifPresent(checks::add);
            }
            Map<String, Boolean> mounts = new LinkedHashMap<>();
            Yamls.list(s.get("volumes")).forEach(v -> {
                String[] parts = String.valueOf(v).split(":");
                mounts.put(parts[1], parts.length > 2 && parts[2].contains("ro"));
            });
            Yamls.list(s.get("tmpfs")).forEach(t -> mounts.put(String.valueOf(t), false));
            String user = String.valueOf(s.getOrDefault("user", "")).split(":")[0];
            result.add(new DeployedContainer("compose", service, Yamls.str(s.get("image")), env, ports, checks, mounts, user,
                    Boolean.TRUE.equals(s.get("read_only"))));
        }
        return result;
    }

    static java.util.Optional<String> healthCheck(String command) {
        Matcher m = TCP_CHECK.matcher(command);
        return m.find() ? java.util.Optional.of(m.group(1) + " " + m.group(2)) : java.util.Optional.empty();
    }

    // ------------------------------------------------------------------ kubernetes

    /** Every object in the base and the overlay (kustomization files excluded), with the file it came from. */
    static List<Map.Entry<Path, Map<String, Object>>> kubernetesObjects() {
        List<Map.Entry<Path, Map<String, Object>>> objects = new ArrayList<>();
        for (Path file : yamlFiles(Repo.root().resolve("deploy/k8s"))) {
            for (Map<String, Object> doc : Yamls.loadAll(file)) {
                String apiVersion = Yamls.str(doc.get("apiVersion"));
                if (apiVersion != null && !apiVersion.startsWith("kustomize.config.k8s.io")) {
                    objects.add(Map.entry(file, doc));
                }
            }
        }
        return objects;
    }

    static List<Path> yamlFiles(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base's objects of one kind, by name. */
    static Map<String, Map<String, Object>> baseObjects(String kind) {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        Path base = Repo.root().resolve(K8S_BASE);
        for (Map.Entry<Path, Map<String, Object>> e : kubernetesObjects()) {
            if (e.getKey().startsWith(base) && kind.equals(e.getValue().get("kind"))) {
                result.put(Yamls.str(Yamls.at(e.getValue(), "metadata", "name")), e.getValue());
            }
        }
        return result;
    }

    static List<DeployedContainer> kubernetes() {
        Map<String, Map<String, Object>> deployments = baseObjects("Deployment");
        Map<String, Map<String, Object>> configMaps = baseObjects("ConfigMap");
        List<DeployedContainer> result = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Map<String, Object> deployment = deployments.get(service);
            if (deployment == null) {
                throw new AssertionError("deploy/k8s/base has no Deployment " + service);
            }
            Map<String, Object> pod = Yamls.map(Yamls.at(deployment, "spec", "template", "spec"));
            Map<String, Object> c = Yamls.map(Yamls.list(pod.get("containers")).get(0));
            Map<String, Env> env = new LinkedHashMap<>();
            for (Object from : Yamls.list(c.get("envFrom"))) {
                String name = Yamls.str(Yamls.at(from, "configMapRef", "name"));
                Map<String, Object> cm = configMaps.get(name);
                if (cm == null) {
                    throw new AssertionError(service + " reads ConfigMap " + name + ", which the base does not define");
                }
                Yamls.map(cm.get("data")).forEach((k, v) -> env.put(k, new Literal(Yamls.str(v))));
            }
            for (Object e : Yamls.list(c.get("env"))) {
                Map<String, Object> var = Yamls.map(e);
                String name = Yamls.str(var.get("name"));
                if (var.containsKey("value")) {
                    env.put(name, new Literal(Yamls.str(var.get("value"))));
                } else if (Yamls.at(var, "valueFrom", "secretKeyRef") != null) {
                    Map<String, Object> ref = Yamls.map(Yamls.at(var, "valueFrom", "secretKeyRef"));
                    env.put(name, new SecretRef(ref.get("name") + "/" + ref.get("key")));
                } else if (Yamls.at(var, "valueFrom", "configMapKeyRef") != null) {
                    Map<String, Object> ref = Yamls.map(Yamls.at(var, "valueFrom", "configMapKeyRef"));
                    env.put(name, new Literal(Yamls.str(Yamls.at(configMaps.get(Yamls.str(ref.get("name"))), "data",
                            Yamls.str(ref.get("key"))))));
                }
            }
            Map<String, Integer> portsByName = new LinkedHashMap<>();
            List<Integer> ports = new ArrayList<>();
            for (Object p : Yamls.list(c.get("ports"))) {
                int number = ((Number) Yamls.map(p).get("containerPort")).intValue();
                ports.add(number);
                if (Yamls.map(p).get("name") != null) {
                    portsByName.put(Yamls.str(Yamls.map(p).get("name")), number);
                }
            }
            List<String> checks = new ArrayList<>();
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                Map<String, Object> http = Yamls.map(Yamls.at(c, probe, "httpGet"));
                if (!http.isEmpty()) {
                    Object port = http.get("port");
                    int number = port instanceof Number n ? n.intValue() : portsByName.getOrDefault(String.valueOf(port), -1);
                    checks.add(number + " " + http.get("path"));
                }
            }
            Map<String, Boolean> readOnlyClaims = new LinkedHashMap<>();
            for (Object v : Yamls.list(pod.get("volumes"))) {
                readOnlyClaims.put(Yamls.str(Yamls.map(v).get("name")),
                        Boolean.TRUE.equals(Yamls.at(v, "persistentVolumeClaim", "readOnly")));
            }
            Map<String, Boolean> mounts = new LinkedHashMap<>();
            for (Object m : Yamls.list(c.get("volumeMounts"))) {
                Map<String, Object> mount = Yamls.map(m);
                mounts.put(Yamls.str(mount.get("mountPath")), Boolean.TRUE.equals(mount.get("readOnly"))
                        || readOnlyClaims.getOrDefault(Yamls.str(mount.get("name")), false));
            }
            Object uid = Yamls.at(c, "securityContext", "runAsUser");
            if (uid == null) {
                uid = Yamls.at(pod, "securityContext", "runAsUser");
            }
            result.add(new DeployedContainer("kubernetes", service, Yamls.str(c.get("image")), env, ports, checks, mounts,
                    uid == null ? "" : String.valueOf(uid),
                    Boolean.TRUE.equals(Yamls.at(c, "securityContext", "readOnlyRootFilesystem"))));
        }
        return result;
    }

    // ------------------------------------------------------------------ ecs

    static CloudFormation ecsTemplate() {
        return new CloudFormation(Repo.root().resolve(ECS_TEMPLATE));
    }

    /** The container definition named like the service, raw (intrinsics kept). */
    static Map<String, Object> ecsContainerDefinition(CloudFormation cfn, String service) {
        for (String id : cfn.resourcesOfType("AWS::ECS::TaskDefinition")) {
            for (Object c : Yamls.list(Yamls.at(cfn.resource(id), "Properties", "ContainerDefinitions"))) {
                if (service.equals(Yamls.map(c).get("Name"))) {
                    return Yamls.map(c);
                }
            }
        }
        throw new AssertionError("deploy/ecs has no container definition named " + service);
    }

    /** A stack with every other choice: EFS instead of S3 blobs, an OpenAI key, Google Sheets. */
    static final String ECS_WITH_EVERYTHING_LABEL = "ecs(efs,openai,sheets)";
    static final Map<String, String> ECS_WITH_EVERYTHING = Map.of(
            "BlobStore", "efs",
            "OpenAiApiKeySecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ranger/openai-AbCdEf",
            "GoogleSheetsCredentialsSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ranger/sheets-AbCdEf",
            "GoogleSheetsSpreadsheetId", "1AbCdEf");

    static List<DeployedContainer> ecs() {
        return ecs(Map.of(), "ecs");
    }

    /** The parameters the stack cannot be created without (no default), as an operator gives them. */
    static final Map<String, String> ECS_REQUIRED = Map.of(
            "KeyEncryptionKeysSecretArn", "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ranger/key-encryption-AbCdEf");

    static List<DeployedContainer> ecs(Map<String, String> parameters, String label) {
        Map<String, String> given = new LinkedHashMap<>(ECS_REQUIRED);
        given.putAll(parameters);
        CloudFormation cfn = ecsTemplate().withParameters(given);
        List<DeployedContainer> result = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            Map<String, Object> raw = ecsContainerDefinition(cfn, service);
            Map<String, Object> c = Yamls.map(cfn.evaluate(raw));
            Map<String, Env> env = new LinkedHashMap<>();
            for (Object e : Yamls.list(c.get("Environment"))) {
                env.put(Yamls.str(Yamls.map(e).get("Name")), new Literal(Yamls.str(Yamls.map(e).get("Value"))));
            }
            for (Object s : Yamls.list(c.get("Secrets"))) {
                env.put(Yamls.str(Yamls.map(s).get("Name")), new SecretRef(Yamls.str(Yamls.map(s).get("ValueFrom"))));
            }
            List<Integer> ports = new ArrayList<>();
            for (Object p : Yamls.list(c.get("PortMappings"))) {
                ports.add(((Number) Yamls.map(p).get("ContainerPort")).intValue());
            }
            List<String> checks = new ArrayList<>();
            Object command = Yamls.at(c, "HealthCheck", "Command");
            if (command != null) {
                healthCheck(String.join(" ", Yamls.list(command).stream().map(String::valueOf).toList())).ifPresent(checks::add);
            }
            Map<String, Boolean> mounts = new LinkedHashMap<>();
            for (Object m : Yamls.list(c.get("MountPoints"))) {
                mounts.put(Yamls.str(Yamls.map(m).get("ContainerPath")), Boolean.TRUE.equals(Yamls.map(m).get("ReadOnly")));
            }
            Object image = raw.get("Image");
            String imageRef = image instanceof Map<?, ?> m && m.containsKey("Ref") ? "Ref:" + m.get("Ref") : String.valueOf(image);
            result.add(new DeployedContainer(label, service, imageRef, env, ports, checks, mounts,
                    String.valueOf(c.getOrDefault("User", "")), Boolean.TRUE.equals(c.get("ReadonlyRootFilesystem"))));
        }
        return result;
    }
}
