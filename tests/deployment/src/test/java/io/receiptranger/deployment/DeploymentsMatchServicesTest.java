package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.receiptranger.deployment.DeployedContainer.Env;
import io.receiptranger.deployment.DeployedContainer.Literal;
import io.receiptranger.deployment.DeployedContainer.SecretRef;

/**
 * Every container of every deployment (compose, Kubernetes, ECS) against the configuration of the
 * service it runs: variables, port, health paths, secrets, image, file system.
 */
class DeploymentsMatchServicesTest {

    /** Names whose values are credentials: they come from a secret store, never from a manifest. */
    static final Pattern SECRET_NAME = Pattern.compile(".*(KEY|SECRET|PASSWORD|CREDENTIALS|TOKEN).*");
    /** Quarkus's own settings that deployments set (runtime properties, environment form). */
    static final Set<String> QUARKUS_SETTINGS = Set.of("QUARKUS_HTTP_PORT",
            "QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING", "QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED");
    /** The uid the base images create and quarkus.jib.user names. */
    static final String IMAGE_UID = "10001";

    static List<DeployedContainer> containers() {
        return Deployments.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void every_variable_the_service_needs_is_set(DeployedContainer container) {
        // Given the variables the service reads with no default, or a default that only works on a laptop
        ServiceConfig config = ServiceConfig.load(container.service());
        List<String> required = config.variables.keySet().stream().filter(config::mustBeSet).sorted().toList();

        // Then the deployment sets every one of them
        assertThat(container.env().keySet())
                .as("%s must set what %s reads without a usable default (%s)", container, container.service(), required)
                .containsAll(required);
        assertThat(required).as("%s: the Kafka address defaults to localhost", container.service())
                .contains("KAFKA_BOOTSTRAP_SERVERS");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void every_variable_set_is_one_the_service_reads(DeployedContainer container) {
        // Given what the service reads: its ${VAR} expressions, its @ConfigMapping, contract names in its code,
        // Quarkus properties in environment form, Kafka client settings (KAFKA_*, Quarkus passes them all on)
        ServiceConfig config = ServiceConfig.load(container.service());
        Set<String> referencedByOtherValues = container.env().values().stream()
                .filter(Literal.class::isInstance).map(e -> ((Literal) e).value())
                .flatMap(v -> Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(v).results().map(r -> r.group(1)))
                .collect(Collectors.toSet());

        // Then no deployment sets a variable the service would silently ignore (a typo, a stale name)
        List<String> unknown = container.env().keySet().stream()
                .filter(name -> !config.knownVariables.contains(name))
                .filter(name -> !name.startsWith("KAFKA_"))
                .filter(name -> !QUARKUS_SETTINGS.contains(name))
                .filter(name -> !referencedByOtherValues.contains(name))
                .toList();
        assertThat(unknown).as("%s sets variables %s does not read", container, container.service()).isEmpty();
    }

    static List<DeployedContainer> ingestContainers() {
        return containers().stream().filter(c -> c.service().equals("ingest")).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ingestContainers")
    void behind_a_proxy_the_ingest_sees_the_clients_address(DeployedContainer container) {
        // Compose publishes the port directly; Kubernetes and ECS put a proxy in front, and the
        // ingest limits uploads per client address.
        boolean proxied = !container.deployment().equals("compose");
        assertThat(container.env().get("QUARKUS_HTTP_PROXY_PROXY_ADDRESS_FORWARDING"))
                .isEqualTo(proxied ? new Literal("true") : null);
        assertThat(container.env().get("QUARKUS_HTTP_PROXY_ALLOW_X_FORWARDED"))
                .isEqualTo(proxied ? new Literal("true") : null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void the_port_and_the_health_checks_are_the_services_own(DeployedContainer container) {
        // Given the service's port and its health endpoints
        ServiceConfig config = ServiceConfig.load(container.service());
        int port = config.httpPort();
        Env portOverride = container.env().get("QUARKUS_HTTP_PORT");
        if (portOverride instanceof Literal literal) {
            assertThat(Integer.parseInt(literal.value())).as("%s: QUARKUS_HTTP_PORT", container).isEqualTo(port);
        }

        // Then the container exposes that port and every check calls a health endpoint on it
        assertThat(container.ports()).as("%s ports", container).contains(port);
        assertThat(container.healthChecks()).as("%s health checks", container).isNotEmpty()
                .allSatisfy(check -> assertThat(check).isIn(
                        port + " " + config.healthPath("live"),
                        port + " " + config.healthPath("ready"),
                        port + " " + config.healthPath("started")))
                .contains(port + " " + config.healthPath(container.deployment().startsWith("ecs") ? "live" : "ready"));
        if (container.deployment().equals("kubernetes")) {
            assertThat(container.healthChecks()).as("%s: liveness and readiness", container)
                    .contains(port + " " + config.healthPath("live"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void secrets_come_from_a_secret_store_never_from_the_manifest(DeployedContainer container) {
        for (Map.Entry<String, Env> e : container.env().entrySet()) {
            if (SECRET_NAME.matcher(e.getKey()).matches()) {
                assertThat(e.getValue()).as("%s: %s must be a secret reference", container, e.getKey())
                        .isInstanceOf(SecretRef.class);
            }
            if (e.getValue() instanceof Literal literal && literal.value() != null) {
                // A credential inside a larger value (a JAAS line, a URL) must be a reference too.
                assertThat(literal.value()).as("%s: %s", container, e.getKey())
                        .doesNotContainPattern("(?i)password=\"[^$\"]")
                        .doesNotContainPattern("(?i)://[^/\\s:@]+:[^/\\s@$]+@");
            }
        }
        if (container.deployment().startsWith("ecs")) {
            // valueFrom: a secret of the stack (with a JSON key) or the ARN of the operator's secret
            container.env().values().stream().filter(SecretRef.class::isInstance)
                    .forEach(ref -> assertThat(((SecretRef) ref).reference()).as("%s valueFrom", container)
                            .matches("<[A-Za-z]+>:[a-z]+::|arn:aws:secretsmanager:.*"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void the_image_is_the_one_the_pom_names(DeployedContainer container) {
        if (container.deployment().startsWith("ecs")) {
            // Image URIs are parameters (the registry is the operator's ECR), one per service.
            String parameter = switch (container.service()) {
                case "ingest" -> "IngestImageUri";
                case "extractor" -> "ExtractorImageUri";
                default -> "SheetsSinkImageUri";
            };
            assertThat(container.image()).isEqualTo("Ref:" + parameter);
            return;
        }
        assertThat(container.image()).as("%s image", container)
                .isEqualTo(Repo.imageRepository(container.service()) + ":" + Repo.imageTag());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containers")
    void it_runs_as_the_images_non_root_user_with_a_read_only_root(DeployedContainer container) {
        assertThat(container.user()).as("%s user", container).isEqualTo(IMAGE_UID);
        assertThat(container.readOnlyRoot()).as("%s read-only root filesystem", container).isTrue();
        assertThat(container.mounts()).as("%s: Quarkus and the JVM write to /tmp", container).containsEntry("/tmp", false);

        // Multipart uploads are spooled to disk: that folder must be writable too.
        ServiceConfig config = ServiceConfig.load(container.service());
        if (Boolean.parseBoolean(config.properties.getProperty("quarkus.http.body.handle-file-uploads", "false"))) {
            String uploads = config.properties.getProperty("quarkus.http.body.uploads-directory", "${java.io.tmpdir}/uploads")
                    .replace("${java.io.tmpdir}", "/tmp");
            assertThat(container.mounts().entrySet()).as("%s: %s is on a writable volume", container, uploads)
                    .anySatisfy(m -> {
                        assertThat(uploads + "/").startsWith(m.getKey() + "/");
                        assertThat(m.getValue()).isFalse();
                    });
        }
    }

    /** Containers that keep images in a {@code file:} blob store (ingest and extractor, where not on S3). */
    static List<DeployedContainer> containersWithAFileBlobStore() {
        List<DeployedContainer> result = containers().stream()
                .filter(c -> c.env().get("RANGER_BLOB_STORE") instanceof Literal l && l.value().startsWith("file:")).toList();
        assertThat(result).extracting(DeployedContainer::toString)
                .contains("compose/ingest", "compose/extractor", "kubernetes/ingest", "kubernetes/extractor",
                        Deployments.ECS_WITH_EVERYTHING_LABEL + "/ingest", Deployments.ECS_WITH_EVERYTHING_LABEL + "/extractor");
        return result;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("containersWithAFileBlobStore")
    void a_file_blob_store_is_a_mounted_volume_writable_by_the_ingest(DeployedContainer container) {
        String store = ((Literal) container.env().get("RANGER_BLOB_STORE")).value();
        String dir = store.substring("file:".length()).replaceFirst("^//", "");
        assertThat(dir).as("%s: an absolute blob folder (the working directory is read-only)", container).startsWith("/");
        assertThat(container.mounts()).as("%s: the blob folder is a shared volume", container).containsKey(dir);
        if (container.service().equals("ingest")) {
            assertThat(container.mounts().get(dir)).as("%s writes images", container).isFalse();
        }
    }
}
