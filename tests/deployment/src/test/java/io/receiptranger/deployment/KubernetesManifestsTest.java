package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;

/** deploy/k8s against the Kubernetes and Strimzi object models and against the services' own configuration. */
class KubernetesManifestsTest {

    static final Set<String> SCALED_OBJECT_SPEC = Set.of("scaleTargetRef", "pollingInterval", "cooldownPeriod",
            "initialCooldownPeriod", "idleReplicaCount", "minReplicaCount", "maxReplicaCount", "fallback", "advanced", "triggers");
    /** Kinds no Java model on this classpath knows, with the spec fields their CRDs define (the rest: ObservabilityTest). */
    static final Map<String, Set<String>> CUSTOM_KINDS = Map.of(
            "ScaledObject", SCALED_OBJECT_SPEC,
            "ServiceMonitor", Set.of("jobLabel", "targetLabels", "podTargetLabels", "endpoints", "selector",
                    "namespaceSelector", "sampleLimit", "scrapeProtocols", "attachMetadata"),
            "PrometheusRule", Set.of("groups"),
            "TriggerAuthentication", Set.of("secretTargetRef", "env", "podIdentity"));
    static final Set<String> KEDA_KAFKA_METADATA = Set.of("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
            "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers", "scaleToZeroOnInvalidOffset",
            "excludePersistentLag", "limitToPartitionsWithLag", "partitionLimitation", "sasl", "tls", "version");

    @Test
    void every_manifest_fits_the_kubernetes_or_strimzi_object_model_with_nothing_unknown() {
        List<Map.Entry<Path, Map<String, Object>>> objects = Deployments.kubernetesObjects();
        assertThat(objects).hasSizeGreaterThan(20);
        for (Map.Entry<Path, Map<String, Object>> entry : objects) {
            Map<String, Object> manifest = entry.getValue();
            String where = Repo.root().relativize(entry.getKey()) + " " + manifest.get("kind") + "/"
                    + Yamls.at(manifest, "metadata", "name");
            if (CUSTOM_KINDS.containsKey(manifest.get("kind"))) {
                assertThat(Yamls.map(manifest.get("spec")).keySet()).as(where).isSubsetOf(CUSTOM_KINDS.get(manifest.get("kind")));
                continue;
            }
            KubernetesResource model = ObjectModel.read(manifest);
            assertThat(model).as("%s: a kind the model knows", where).isNotInstanceOf(GenericKubernetesResource.class);
            assertThat(((HasMetadata) model).getKind()).as(where).isEqualTo(manifest.get("kind"));
            assertThat(ObjectModel.unknownFields(model)).as("%s: fields the model does not know", where).isEmpty();
        }
    }

    @Test
    void a_misspelt_field_is_caught() {
        // The check above must be able to fail: a typo lands in additionalProperties.
        Map<String, Object> deployment = Map.of("apiVersion", "apps/v1", "kind", "Deployment",
                "metadata", Map.of("name", "x"),
                "spec", Map.of("template", Map.of("spec", Map.of("containers",
                        List.of(Map.of("name", "x", "image", "x", "livenesProbe", Map.of()))))));
        assertThat(ObjectModel.unknownFields(ObjectModel.read(deployment)))
                .anySatisfy(f -> assertThat(f).contains("livenesProbe"));

        // … and in Strimzi's model; a value of the wrong type does not even read
        Map<String, Object> topic = Map.of("apiVersion", "kafka.strimzi.io/v1beta2", "kind", "KafkaTopic",
                "metadata", Map.of("name", "x"), "spec", Map.of("partitons", 3, "replicas", 3));
        assertThat(ObjectModel.unknownFields(ObjectModel.read(topic))).anySatisfy(f -> assertThat(f).contains("partitons"));
        Map<String, Object> wrongType = Map.of("apiVersion", "kafka.strimzi.io/v1beta2", "kind", "KafkaTopic",
                "metadata", Map.of("name", "x"), "spec", Map.of("replicas", "three"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ObjectModel.read(wrongType)).hasStackTraceContaining("three");
    }

    @Test
    void kafka_topics_are_the_contract_topics_with_their_settings() {
        Map<String, Map<String, Object>> topics = Deployments.baseObjects("KafkaTopic");
        String cluster = Deployments.baseObjects("Kafka").keySet().iterator().next();
        List<ContractTopics.Topic> contract = ContractTopics.all();
        assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(contract.stream().map(ContractTopics.Topic::name).toList());
        int maxExtractors = ((Number) scaledObject().get("maxReplicaCount")).intValue();
        for (ContractTopics.Topic topic : contract) {
            Map<String, Object> kt = topics.get(topic.name());
            Map<String, Object> spec = Yamls.map(kt.get("spec"));
            Map<String, String> config = Yamls.map(spec.get("config")).entrySet().stream()
                    .collect(Collectors.toMap(Map.Entry::getKey, e -> String.valueOf(e.getValue())));
            assertThat(Yamls.at(kt, "metadata", "labels", "strimzi.io/cluster")).isEqualTo(cluster);
            assertThat(config).as(topic.name()).containsAllEntriesOf(topic.configs());
            int partitions = ((Number) spec.get("partitions")).intValue();
            if (topic.scaled()) {
                assertThat(partitions).as("%s partitions: one per extractor that can work", topic.name())
                        .isGreaterThanOrEqualTo(maxExtractors);
            } else {
                assertThat(partitions).as(topic.name()).isEqualTo(topic.fixedPartitions());
            }
            int replicas = ((Number) spec.get("replicas")).intValue();
            assertThat(replicas).as(topic.name()).isGreaterThanOrEqualTo(3);
            assertThat(Integer.parseInt(config.get("min.insync.replicas"))).as(topic.name()).isBetween(2, replicas - 1);
        }
    }

    @Test
    void the_sink_scales_on_its_lag_within_the_partitions_and_googles_quota() {
        ServiceConfig sink = ServiceConfig.load("sheets-sink");
        Map<String, Object> scaledObject = Deployments.baseObjects("ScaledObject").get("sheets-sink");
        Map<String, Object> scaled = Yamls.map(scaledObject.get("spec"));
        Map<String, Object> trigger = Yamls.map(Yamls.list(scaled.get("triggers")).get(0));
        Map<String, Object> metadata = Yamls.map(trigger.get("metadata"));
        Map<String, Object> deployment = Deployments.baseObjects("Deployment").get("sheets-sink");

        // The trigger watches the sink's own group on its own topic
        assertThat(Yamls.at(scaled, "scaleTargetRef", "name")).isEqualTo("sheets-sink");
        assertThat(trigger.get("type")).isEqualTo("kafka");
        assertThat(metadata.keySet()).isSubsetOf(KEDA_KAFKA_METADATA);
        assertThat(metadata.get("consumerGroup")).isEqualTo(sink.properties.getProperty("mp.messaging.incoming.extractions.group.id"));
        assertThat(metadata.get("topic")).isEqualTo(sink.properties.getProperty("mp.messaging.incoming.extractions.topic"));
        assertThat(metadata.get("allowIdleConsumers")).isEqualTo("false");

        // The cap: no more pods than partitions of extractions, no more Google requests than one service account's quota
        int max = ((Number) scaled.get("maxReplicaCount")).intValue();
        int partitions = ((Number) Yamls.at(Deployments.baseObjects("KafkaTopic").get("extractions"), "spec", "partitions")).intValue();
        Map<String, Object> config = Yamls.map(Yamls.at(Deployments.baseObjects("ConfigMap").get("sheets-sink-config"), "data"));
        Map<String, Object> annotations = Yamls.map(Yamls.at(scaledObject, "metadata", "annotations"));
        assertThat(max).as("sink pods beyond the partitions of extractions would idle").isLessThanOrEqualTo(partitions);
        assertThat(max * Integer.parseInt(String.valueOf(config.get("RANGER_SHEETS_WRITES_PER_MINUTE"))))
                .as("write requests a minute at full scale")
                .isLessThanOrEqualTo(Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/google-writes-per-minute"))));
        assertThat(max * Integer.parseInt(String.valueOf(config.get("RANGER_SHEETS_READS_PER_MINUTE"))))
                .as("read requests a minute at full scale")
                .isLessThanOrEqualTo(Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/google-reads-per-minute"))));
        assertThat(Yamls.at(deployment, "spec", "replicas")).as("KEDA owns the sink's replica count").isNull();

        // One writer per spreadsheet comes from the partitioning, not from one replica: each pod is a named writer
        assertThat(Yamls.at(deployment, "spec", "strategy", "type")).isEqualTo("RollingUpdate");
        Map<String, Object> container = Yamls.map(Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "containers")).get(0));
        assertThat(Yamls.list(container.get("env"))).anySatisfy(e -> {
            assertThat(Yamls.map(e).get("name")).isEqualTo("RANGER_INSTANCE_ID");
            assertThat(Yamls.at(e, "valueFrom", "fieldRef", "fieldPath")).isEqualTo("metadata.name");
        });
        assertThat(sink.properties.getProperty("mp.messaging.incoming.extractions.group.instance.id")).contains("ranger.instance-id");
    }

    @Test
    void every_service_finds_the_strimzi_cluster_on_its_plain_listener() {
        Map<String, Object> kafka = Deployments.baseObjects("Kafka").values().iterator().next();
        String cluster = Yamls.str(Yamls.at(kafka, "metadata", "name"));
        Object plainPort = Yamls.list(Yamls.at(kafka, "spec", "kafka", "listeners")).stream().map(Yamls::map)
                .filter(l -> Boolean.FALSE.equals(l.get("tls")) && "internal".equals(l.get("type")))
                .map(l -> l.get("port")).findFirst().orElseThrow();
        for (DeployedContainer container : Deployments.kubernetes()) {
            assertThat(container.env().get("KAFKA_BOOTSTRAP_SERVERS")).as(container.service())
                    .isEqualTo(new DeployedContainer.Literal(cluster + "-kafka-bootstrap:" + plainPort));
        }
    }

    @Test
    void the_extractor_scales_on_its_lag_within_the_partitions_and_the_providers_rate_limit() {
        ServiceConfig extractor = ServiceConfig.load("extractor");
        Map<String, Object> scaled = scaledObject();
        Map<String, Object> scaledObject = Deployments.baseObjects("ScaledObject").get("extractor");
        Map<String, Object> trigger = Yamls.map(Yamls.list(scaled.get("triggers")).get(0));
        Map<String, Object> metadata = Yamls.map(trigger.get("metadata"));

        // The trigger watches the extractor's own group on its own topic
        assertThat(Yamls.at(scaled, "scaleTargetRef", "name")).isEqualTo("extractor");
        assertThat(trigger.get("type")).isEqualTo("kafka");
        assertThat(metadata.keySet()).isSubsetOf(KEDA_KAFKA_METADATA);
        assertThat(metadata.get("consumerGroup")).isEqualTo(extractor.properties.getProperty("mp.messaging.incoming.receipts.group.id"));
        assertThat(metadata.get("topic")).isEqualTo(extractor.properties.getProperty("mp.messaging.incoming.receipts.topic"));
        assertThat(metadata.get("allowIdleConsumers")).isEqualTo("false");
        String namespace = String.valueOf(Yamls.load(Repo.root().resolve(Deployments.K8S_OVERLAY).resolve("kustomization.yaml")).get("namespace"));
        String cluster = Deployments.baseObjects("Kafka").keySet().iterator().next();
        assertThat(String.valueOf(metadata.get("bootstrapServers")))
                .as("KEDA runs in its own namespace: a fully qualified bootstrap address")
                .startsWith(cluster + "-kafka-bootstrap." + namespace + ".svc:");

        // The cap: no more pods than partitions, no more calls in flight than the provider allows
        int max = ((Number) scaled.get("maxReplicaCount")).intValue();
        int partitions = ((Number) Yamls.at(Deployments.baseObjects("KafkaTopic").get("receipts"), "spec", "partitions")).intValue();
        int concurrency = Integer.parseInt(String.valueOf(Yamls.at(Deployments.baseObjects("ConfigMap").get("extractor-config"),
                "data", "RANGER_MODEL_CONCURRENCY")));
        Map<String, Object> annotations = Yamls.map(Yamls.at(scaledObject, "metadata", "annotations"));
        int rpm = Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/provider-requests-per-minute")));
        int seconds = Integer.parseInt(String.valueOf(annotations.get("receipt-ranger.io/model-call-seconds")));
        int callsInFlightTheProviderAllows = rpm * seconds / 60;
        assertThat(max).as("extractor pods beyond the partitions of receipts would idle").isLessThanOrEqualTo(partitions);
        assertThat(max * concurrency).as("model calls in flight at full scale").isLessThanOrEqualTo(callsInFlightTheProviderAllows);
        assertThat(((Number) scaled.get("minReplicaCount")).intValue()).isBetween(1, max);
        assertThat(Yamls.at(Deployments.baseObjects("Deployment").get("extractor"), "spec", "replicas"))
                .as("KEDA owns the extractor's replica count").isNull();
    }

    @Test
    void only_the_ingest_is_reachable_from_outside_and_it_signs_users_in_itself() {
        Map<String, Map<String, Object>> ingresses = Deployments.baseObjects("Ingress");
        Set<String> backends = new HashSet<>();
        for (Map<String, Object> ingress : ingresses.values()) {
            Map<String, Object> annotations = Yamls.map(Yamls.at(ingress, "metadata", "annotations"));
            assertThat(annotations.keySet()).as("no edge sign-in whose identity headers the ingest would have to trust")
                    .noneMatch(k -> k.startsWith("nginx.ingress.kubernetes.io/auth-"));
            for (Object rule : Yamls.list(Yamls.at(ingress, "spec", "rules"))) {
                for (Object path : Yamls.list(Yamls.at(rule, "http", "paths"))) {
                    backends.add(Yamls.str(Yamls.at(path, "backend", "service", "name")));
                }
            }
        }
        assertThat(backends).containsExactly("ingest");
        Deployments.baseObjects("Service").forEach((name, service) -> assertThat(Yamls.at(service, "spec", "type"))
                .as("Service %s is cluster-internal", name).isIn(null, "ClusterIP"));
        Map<String, Map<String, Object>> policies = Deployments.baseObjects("NetworkPolicy");
        assertThat(policies).containsKeys("extractor", "sheets-sink");
        assertThat(Yamls.list(Yamls.at(policies.get("extractor"), "spec", "ingress"))).as("nobody calls the extractor").isEmpty();
        assertThat(Yamls.at(Yamls.list(Yamls.at(policies.get("sheets-sink"), "spec", "ingress")).get(0), "from"))
                .asString().contains("app.kubernetes.io/name=ingest");
    }

    /** What keeps the production overlay from starting an ingest that lets everyone in, or nobody. */
    static List<String> signInProblems(Map<String, Object> ingestConfigPatch, Map<String, Object> ingestDeployment,
            Set<String> generatedSecrets) {
        List<String> problems = new ArrayList<>();
        String issuer = Yamls.str(Yamls.at(ingestConfigPatch, "data", "RANGER_AUTH_ISSUER"));
        if (issuer == null || !issuer.startsWith("https://")) {
            problems.add("RANGER_AUTH_ISSUER is not an https issuer");
        }
        String allowed = Yamls.str(Yamls.at(ingestConfigPatch, "data", "RANGER_AUTH_ALLOWED_USERS"));
        if (allowed == null || allowed.isBlank() || allowed.contains("*")) {
            problems.add("RANGER_AUTH_ALLOWED_USERS is not set to addresses, domains or groups");
        }
        boolean secret = Yamls.list(Yamls.at(Yamls.list(Yamls.at(ingestDeployment, "spec", "template", "spec", "containers")).get(0), "env"))
                .stream().anyMatch(e -> "RANGER_AUTH_CLIENT_SECRET".equals(Yamls.str(Yamls.map(e).get("name")))
                        && "ranger-sign-in".equals(Yamls.str(Yamls.at(e, "valueFrom", "secretKeyRef", "name"))));
        if (!secret || !generatedSecrets.contains("ranger-sign-in")) {
            problems.add("the ingest does not get the Secret ranger-sign-in (client id and secret) from the overlay");
        }
        return problems;
    }

    private static Map<String, Object> overlayIngestConfig() {
        return Yamls.loadAll(Repo.root().resolve(Deployments.K8S_OVERLAY).resolve("config-patch.yaml")).stream()
                .filter(p -> "ingest-config".equals(Yamls.str(Yamls.at(p, "metadata", "name")))).findFirst()
                .orElseThrow(() -> new AssertionError("the overlay does not patch ingest-config"));
    }

    private static Set<String> overlaySecrets() {
        Set<String> names = new HashSet<>();
        Yamls.list(Yamls.load(Repo.root().resolve(Deployments.K8S_OVERLAY).resolve("kustomization.yaml")).get("secretGenerator"))
                .forEach(g -> names.add(Yamls.str(Yamls.map(g).get("name"))));
        return names;
    }

    @Test
    void the_production_overlay_requires_sign_in_with_an_allow_list() {
        Map<String, Object> ingest = Deployments.baseObjects("Deployment").get("ingest");
        assertThat(signInProblems(overlayIngestConfig(), ingest, overlaySecrets())).isEmpty();
        // The base alone admits nobody: its allow-list is empty, and the ingest refuses to start so.
        assertThat(Yamls.str(Yamls.at(Deployments.baseObjects("ConfigMap").get("ingest-config"), "data", "RANGER_AUTH_ALLOWED_USERS"))).isEmpty();
        // No edge proxy with an allow-everyone default is left over.
        assertThat(Deployments.baseObjects("Deployment")).doesNotContainKey("oauth2-proxy");
    }

    @Test
    void an_overlay_without_the_allow_list_or_the_client_secret_is_caught() {
        Map<String, Object> ingest = Deployments.baseObjects("Deployment").get("ingest");
        Map<String, Object> patch = new LinkedHashMap<>(overlayIngestConfig());
        Map<String, Object> data = new LinkedHashMap<>(Yamls.map(patch.get("data")));
        data.remove("RANGER_AUTH_ALLOWED_USERS");
        patch.put("data", data);
        assertThat(signInProblems(patch, ingest, overlaySecrets())).singleElement().asString().contains("RANGER_AUTH_ALLOWED_USERS");
        data.put("RANGER_AUTH_ALLOWED_USERS", "*");
        assertThat(signInProblems(patch, ingest, overlaySecrets())).singleElement().asString().contains("RANGER_AUTH_ALLOWED_USERS");
        assertThat(signInProblems(overlayIngestConfig(), ingest, Set.of("ranger-openai"))).singleElement().asString().contains("ranger-sign-in");
    }

    /**
     * What keeps the production overlay from running without the key-encryption keys: the ingest
     * (encrypts users' model keys) and the extractor (decrypts them) must both take
     * RANGER_KEY_ENCRYPTION_KEYS from the Secret the overlay generates, not optionally.
     */
    static List<String> keyEncryptionProblems(Map<String, Map<String, Object>> deployments, Set<String> generatedSecrets) {
        List<String> problems = new ArrayList<>();
        for (String service : List.of("ingest", "extractor")) {
            Object container = Yamls.list(Yamls.at(deployments.get(service), "spec", "template", "spec", "containers")).get(0);
            boolean required = Yamls.list(Yamls.at(container, "env")).stream()
                    .anyMatch(e -> "RANGER_KEY_ENCRYPTION_KEYS".equals(Yamls.str(Yamls.map(e).get("name")))
                            && "ranger-key-encryption".equals(Yamls.str(Yamls.at(e, "valueFrom", "secretKeyRef", "name")))
                            && !Boolean.TRUE.equals(Yamls.at(e, "valueFrom", "secretKeyRef", "optional")));
            if (!required) {
                problems.add("the " + service + " does not require RANGER_KEY_ENCRYPTION_KEYS from the Secret ranger-key-encryption");
            }
        }
        if (!generatedSecrets.contains("ranger-key-encryption")) {
            problems.add("the overlay does not generate the Secret ranger-key-encryption (RANGER_KEY_ENCRYPTION_KEYS)");
        }
        return problems;
    }

    @Test
    void the_production_overlay_requires_the_key_encryption_keys_for_ingest_and_extractor() throws Exception {
        assertThat(keyEncryptionProblems(Deployments.baseObjects("Deployment"), overlaySecrets())).isEmpty();
        // The operator fills in a copy of the example, outside git
        Path example = Repo.root().resolve(Deployments.K8S_OVERLAY).resolve("secrets/key-encryption.env.example");
        assertThat(Files.readAllLines(example)).contains("RANGER_KEY_ENCRYPTION_KEYS=");
    }

    @Test
    void an_overlay_or_a_workload_without_the_key_encryption_keys_is_caught() {
        Map<String, Map<String, Object>> deployments = Deployments.baseObjects("Deployment");
        assertThat(keyEncryptionProblems(deployments, Set.of("ranger-openai", "ranger-sign-in"))).singleElement().asString()
                .contains("does not generate the Secret ranger-key-encryption");

        Map<String, Map<String, Object>> withoutIt = new LinkedHashMap<>(deployments);
        withoutIt.put("extractor", withEnv(deployments.get("extractor"), env -> env.removeIf(
                e -> "RANGER_KEY_ENCRYPTION_KEYS".equals(Yamls.str(Yamls.map(e).get("name"))))));
        assertThat(keyEncryptionProblems(withoutIt, overlaySecrets())).singleElement().asString().contains("the extractor");

        Map<String, Map<String, Object>> optional = new LinkedHashMap<>(deployments);
        optional.put("ingest", withEnv(deployments.get("ingest"), env -> env.replaceAll(e -> {
            if (!"RANGER_KEY_ENCRYPTION_KEYS".equals(Yamls.str(Yamls.map(e).get("name")))) {
                return e;
            }
            return Map.of("name", "RANGER_KEY_ENCRYPTION_KEYS", "valueFrom", Map.of("secretKeyRef",
                    Map.of("name", "ranger-key-encryption", "key", "RANGER_KEY_ENCRYPTION_KEYS", "optional", true)));
        })));
        assertThat(keyEncryptionProblems(optional, overlaySecrets())).singleElement().asString().contains("the ingest");
    }

    /** A copy of a Deployment whose first container's env the edit changed. */
    private static Map<String, Object> withEnv(Map<String, Object> deployment, java.util.function.Consumer<List<Object>> edit) {
        List<Object> env = new ArrayList<>(Yamls.list(Yamls.at(Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "containers")).get(0), "env")));
        edit.accept(env);
        Map<String, Object> container = new LinkedHashMap<>(Yamls.map(Yamls.list(Yamls.at(deployment, "spec", "template", "spec", "containers")).get(0)));
        container.put("env", env);
        Map<String, Object> podSpec = new LinkedHashMap<>(Yamls.map(Yamls.at(deployment, "spec", "template", "spec")));
        podSpec.put("containers", List.of(container));
        Map<String, Object> template = new LinkedHashMap<>(Yamls.map(Yamls.at(deployment, "spec", "template")));
        template.put("spec", podSpec);
        Map<String, Object> spec = new LinkedHashMap<>(Yamls.map(deployment.get("spec")));
        spec.put("template", template);
        Map<String, Object> copy = new LinkedHashMap<>(deployment);
        copy.put("spec", spec);
        return copy;
    }

    @Test
    void websocket_timeouts_at_the_edge_far_exceed_the_ingests_ping_interval() {
        Duration ping = ServiceConfig.load("ingest").webSocketPingInterval()
                .orElseThrow(() -> new AssertionError("the ingest sets no quarkus.websockets-next.server.auto-ping-interval"));
        Map<String, Object> annotations = Yamls.map(Yamls.at(Deployments.baseObjects("Ingress").get("ingest"), "metadata", "annotations"));
        for (String timeout : List.of("proxy-read-timeout", "proxy-send-timeout")) {
            long seconds = Long.parseLong(String.valueOf(annotations.get("nginx.ingress.kubernetes.io/" + timeout)));
            assertThat(Duration.ofSeconds(seconds)).as(timeout).isGreaterThanOrEqualTo(ping.multipliedBy(3));
        }
        assertThat(annotations).as("no stickiness: any replica serves any batch")
                .doesNotContainKey("nginx.ingress.kubernetes.io/affinity");
    }

    @Test
    void the_edge_accepts_the_largest_upload_and_the_origin_the_ingest_allows() {
        ServiceConfig ingest = ServiceConfig.load("ingest");
        Map<String, Object> ingress = Deployments.baseObjects("Ingress").get("ingest");
        String bodySize = String.valueOf(Yamls.at(ingress, "metadata", "annotations", "nginx.ingress.kubernetes.io/proxy-body-size"));
        assertThat(mebibytes(bodySize)).as("ingress-nginx body limit vs quarkus.http.limits.max-body-size")
                .isGreaterThanOrEqualTo(mebibytes(ingest.properties.getProperty("quarkus.http.limits.max-body-size", "10M")));

        // The browser's Origin is the Ingress host: the ingest must allow it (base and overlay)
        String host = Yamls.str(Yamls.at(Yamls.list(Yamls.at(ingress, "spec", "rules")).get(0), "host"));
        assertThat(Yamls.at(Deployments.baseObjects("ConfigMap").get("ingest-config"), "data", "RANGER_ALLOWED_ORIGINS"))
                .isEqualTo("https://" + host);
        Path overlay = Repo.root().resolve(Deployments.K8S_OVERLAY);
        String overlayHost = Yamls.str(Yamls.at(Yamls.load(overlay.resolve("kustomization.yaml")), "patches")).replaceAll("(?s).*?/spec/rules/0/host\\s+value: (\\S+).*", "$1");
        for (Map<String, Object> patch : Yamls.loadAll(overlay.resolve("config-patch.yaml"))) {
            String name = Yamls.str(Yamls.at(patch, "metadata", "name"));
            Map<String, Object> base = Deployments.baseObjects("ConfigMap").get(name);
            assertThat(base).as("the overlay patches ConfigMap %s of the base", name).isNotNull();
            assertThat(Yamls.map(patch.get("data")).keySet()).as("%s: the overlay sets only keys the base has", name)
                    .isSubsetOf(Yamls.map(base.get("data")).keySet());
            if (name.equals("ingest-config")) {
                assertThat(Yamls.at(patch, "data", "RANGER_ALLOWED_ORIGINS")).isEqualTo("https://" + overlayHost);
            }
        }
    }

    private static long mebibytes(String size) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)(\\d+)\\s*([kmg]?)i?b?").matcher(size.trim());
        assertThat(m.matches()).as("a size: %s", size).isTrue();
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2).toLowerCase()) {
            case "g" -> n * 1024;
            case "m" -> n;
            case "k" -> Math.max(1, n / 1024);
            default -> Math.max(1, n / (1024 * 1024));
        };
    }

    @Test
    void every_workload_has_requests_limits_probes_and_a_disruption_budget() {
        Map<String, Map<String, Object>> pdbs = Deployments.baseObjects("PodDisruptionBudget");
        Map<String, Map<String, Object>> deployments = Deployments.baseObjects("Deployment");
        for (Map.Entry<String, Map<String, Object>> d : deployments.entrySet()) {
            Map<String, Object> labels = Yamls.map(Yamls.at(d.getValue(), "spec", "template", "metadata", "labels"));
            assertThat(Yamls.map(Yamls.at(d.getValue(), "spec", "selector", "matchLabels")).entrySet())
                    .as("%s selector", d.getKey()).isSubsetOf(labels.entrySet());
            Map<String, Object> pod = Yamls.map(Yamls.at(d.getValue(), "spec", "template", "spec"));
            assertThat(Yamls.at(pod, "securityContext", "runAsNonRoot")).as(d.getKey()).isEqualTo(true);
            assertThat(pod.get("automountServiceAccountToken")).as(d.getKey()).isEqualTo(false);
            for (Object c : Yamls.list(pod.get("containers"))) {
                assertThat(Yamls.at(c, "resources", "requests", "cpu")).as("%s cpu request", d.getKey()).isNotNull();
                assertThat(Yamls.at(c, "resources", "requests", "memory")).as("%s memory request", d.getKey()).isNotNull();
                assertThat(Yamls.at(c, "resources", "limits", "memory"))
                        .as("%s memory limit (the JVM sizes its heap from it)", d.getKey()).isNotNull();
                assertThat(Yamls.at(c, "readinessProbe")).as(d.getKey()).isNotNull();
                assertThat(Yamls.at(c, "livenessProbe")).as(d.getKey()).isNotNull();
                assertThat(Yamls.at(c, "securityContext", "allowPrivilegeEscalation")).as(d.getKey()).isEqualTo(false);
                assertThat(Yamls.list(Yamls.at(c, "securityContext", "capabilities", "drop"))).as(d.getKey()).contains("ALL");
            }
            assertThat(pdbs.values()).as("a PodDisruptionBudget selects %s", d.getKey()).anySatisfy(pdb ->
                    assertThat(labels.entrySet()).containsAll(Yamls.map(Yamls.at(pdb, "spec", "selector", "matchLabels")).entrySet()));
        }
        Deployments.baseObjects("Service").forEach((name, service) -> {
            Map<String, Object> selector = Yamls.map(Yamls.at(service, "spec", "selector"));
            assertThat(deployments.values()).as("Service %s selects a Deployment", name).anySatisfy(d -> {
                assertThat(Yamls.map(Yamls.at(d, "spec", "template", "metadata", "labels")).entrySet()).containsAll(selector.entrySet());
                List<Object> ports = Yamls.list(Yamls.at(Yamls.list(Yamls.at(d, "spec", "template", "spec", "containers")).get(0), "ports"));
                for (Object p : Yamls.list(Yamls.at(service, "spec", "ports"))) {
                    assertThat(ports).extracting(port -> Yamls.map(port).get("name")).contains(Yamls.map(p).get("targetPort"));
                }
            });
        });
    }

    @Test
    void kustomize_lists_every_manifest_and_secrets_never_enter_git() throws Exception {
        Path base = Repo.root().resolve(Deployments.K8S_BASE);
        Path overlay = Repo.root().resolve(Deployments.K8S_OVERLAY);
        Map<String, Object> baseKustomization = Yamls.load(base.resolve("kustomization.yaml"));
        Map<String, Object> overlayKustomization = Yamls.load(overlay.resolve("kustomization.yaml"));
        List<String> manifests = new ArrayList<>();
        try (var files = Files.list(base)) {
            files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml"))
                    .forEach(manifests::add);
        }
        assertThat(Yamls.list(baseKustomization.get("resources"))).as("base resources")
                .containsExactlyInAnyOrderElementsOf(manifests);

        // Images: the pom's names and tag, in the base and the overlay
        for (Map<String, Object> k : List.of(baseKustomization, overlayKustomization)) {
            Map<String, String> images = new LinkedHashMap<>();
            Yamls.list(k.get("images")).forEach(i -> images.put(Yamls.str(Yamls.map(i).get("name")), Yamls.str(Yamls.map(i).get("newTag"))));
            Map<String, String> expected = new LinkedHashMap<>();
            Repo.SERVICES.forEach(s -> expected.put(Repo.imageRepository(s), Repo.imageTag()));
            assertThat(images).isEqualTo(expected);
        }

        // Secrets: generated by the overlay from gitignored files; the examples hold names, never values
        Map<String, Set<String>> generated = new LinkedHashMap<>();
        for (Object generator : Yamls.list(overlayKustomization.get("secretGenerator"))) {
            Set<String> keys = new HashSet<>();
            for (Object env : Yamls.list(Yamls.map(generator).get("envs"))) {
                Path example = overlay.resolve(env + ".example");
                assertThat(example).as("an example for %s", env).exists();
                for (String line : Files.readAllLines(example)) {
                    if (!line.isBlank() && !line.startsWith("#")) {
                        String[] kv = line.split("=", 2);
                        assertThat(kv[1]).as("%s in %s holds no value", kv[0], example.getFileName()).isEmpty();
                        keys.add(kv[0]);
                    }
                }
                Path ignore = example.getParent().resolve(".gitignore");
                assertThat(ignore).exists();
                assertThat(Files.readAllLines(ignore)).contains("*.env");
            }
            generated.put(Yamls.str(Yamls.map(generator).get("name")), keys);
        }
        for (Map.Entry<Path, Map<String, Object>> e : Deployments.kubernetesObjects()) {
            assertThat(e.getValue().get("kind")).as("%s: Secrets are generated, never written down", e.getKey()).isNotEqualTo("Secret");
        }
        for (Map<String, Object> d : Deployments.baseObjects("Deployment").values()) {
            for (Object c : Yamls.list(Yamls.at(d, "spec", "template", "spec", "containers"))) {
                for (Object env : Yamls.list(Yamls.map(c).get("env"))) {
                    Object ref = Yamls.at(env, "valueFrom", "secretKeyRef");
                    if (ref != null && Deployments.baseObjects("KafkaUser").containsKey(Yamls.str(Yamls.at(ref, "name")))) {
                        // made by Strimzi's User Operator for the KafkaUser of that name
                        assertThat(Yamls.str(Yamls.at(ref, "key"))).isIn("sasl.jaas.config", "password");
                    } else if (ref != null) {
                        assertThat(generated).as("the overlay generates Secret %s", Yamls.at(ref, "name"))
                                .containsKey(Yamls.str(Yamls.at(ref, "name")));
                        assertThat(generated.get(Yamls.str(Yamls.at(ref, "name")))).contains(Yamls.str(Yamls.at(ref, "key")));
                    }
                }
            }
        }
    }

    private static Map<String, Object> scaledObject() {
        Map<String, Object> scaled = Deployments.baseObjects("ScaledObject").get("extractor");
        assertThat(scaled).as("a KEDA ScaledObject for the extractor").isNotNull();
        return Yamls.map(scaled.get("spec"));
    }
}
