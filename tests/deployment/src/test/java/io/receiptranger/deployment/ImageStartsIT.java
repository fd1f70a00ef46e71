package io.receiptranger.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * The image proof. jib-maven-plugin:buildTar (see this module's pom) built each service's image
 * layers over {@code scratch}, offline. Here each tar is unpacked the way a container runtime
 * would (layers in order into one root), its config is compared with the service's
 * {@code ## Container image} settings, and the service is started from the unpacked root on the
 * host's JDK, with the image's entrypoint and working directory, its files read-only and (when the
 * test runs as root, as CI does) as the image's uid, until {@code /q/health/ready} answers 200. A
 * file the service needs and the image lacks, or a write outside /tmp and the blob volume, fails
 * here, not in production.
 */
class ImageStartsIT {

    static final List<String> SERVICES = Repo.SERVICES;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static KafkaLocalProcess kafka;

    @BeforeAll
    static void startKafka() {
        kafka = KafkaLocalProcess.start();
    }

    @AfterAll
    static void stopKafka() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @ParameterizedTest
    @FieldSource("SERVICES")
    void the_image_starts_and_becomes_ready(String service) throws Exception {
        // Given the image tar and the service's own image settings
        Path tar = Path.of(System.getProperty("ranger.images.dir", "target/images"), service + ".tar");
        assertThat(tar).as("the image tar (built by jib:buildTar from services/%s/target/quarkus-app; "
                + "package the services first when building this module alone)", service).exists();
        ServiceConfig config = ServiceConfig.load(service);
        Path work = Files.createTempDirectory("image-" + service + "-");
        Path root = unpack(tar, work);
        JsonNode imageConfig = JSON.readTree(work.resolve("layers").resolve("config.json").toFile()).get("config");

        // Then the image is laid out as the service's quarkus-container-image-jib settings say
        List<String> entrypoint = new ArrayList<>();
        imageConfig.get("Entrypoint").forEach(a -> entrypoint.add(a.asText()));
        List<String> expected = new ArrayList<>(List.of("java"));
        expected.addAll(ContainerImages.jvmArguments(config));
        expected.addAll(List.of("-jar", "quarkus-run.jar"));
        assertThat(entrypoint).isEqualTo(expected);
        assertThat(imageConfig.get("User").asText()).isEqualTo(config.properties.getProperty("quarkus.jib.user"));
        String workingDir = imageConfig.get("WorkingDir").asText();
        assertThat(workingDir).isEqualTo(config.properties.getProperty("quarkus.jib.working-directory"));
        assertThat(imageConfig.get("ExposedPorts").has(config.httpPort() + "/tcp")).isTrue();
        Path appDir = root.resolve(workingDir.substring(1));
        assertThat(appDir.resolve("quarkus-run.jar")).as("the fast-jar launcher in the image").exists();

        // When the service starts from the unpacked image on this JDK, as the container would run it:
        // the image's files not writable, and (where this test may switch users) as the image's uid
        int port = freePort();
        Path blobs = Files.createDirectories(work.resolve("blobs"));
        run("chmod", "-R", "a-w,a+rX", root.toString());
        List<String> command = new ArrayList<>();
        if (isRoot() && Files.isExecutable(Path.of("/usr/bin/setpriv"))) {
            String uid = config.properties.getProperty("quarkus.jib.user");
            run("chown", uid + ":" + uid, blobs.toString());
            run("chmod", "a+rx", work.toString());
            command.addAll(List.of("/usr/bin/setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups"));
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(entrypoint.subList(1, entrypoint.size()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(appDir.toFile())
                .redirectErrorStream(true).redirectOutput(work.resolve(service + ".log").toFile());
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("OPENAI_") || k.startsWith("GOOGLE_") || k.startsWith("RANGER_")
                || k.startsWith("KAFKA_") || k.startsWith("QUARKUS_"));
        imageConfig.get("Env").forEach(e -> {
            String[] kv = e.asText().split("=", 2);
            env.put(kv[0], kv[1]);
        });
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("RANGER_BLOB_STORE", "file:" + blobs);
        // The container's memory limit: the image sizes the heap as a share of it.
        env.put("JAVA_TOOL_OPTIONS", "-Xmx384m");
        Process process = builder.start();
        try {
            // Then it answers ready
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertThat(process.isAlive()).as("%s is running (log: %s)", service, work.resolve(service + ".log")).isTrue();
                assertThat(status("http://localhost:" + port + config.healthPath("ready"))).isEqualTo(200);
            });
            assertThat(status("http://localhost:" + port + config.healthPath("live"))).isEqualTo(200);
            if (command.get(0).endsWith("setpriv")) {
                // setpriv execs the JVM in place: the ready process runs as the image's user.
                assertThat(Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")))
                        .anySatisfy(line -> assertThat(line).startsWith("Uid:\t" + config.properties.getProperty("quarkus.jib.user") + "\t"));
            }
        } finally {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
        run("chmod", "-R", "u+w", work.toString());
        deleteRecursively(work);
    }

    private static boolean isRoot() throws Exception {
        Process id = new ProcessBuilder("id", "-u").start();
        String uid = new String(id.getInputStream().readAllBytes()).trim();
        id.waitFor(10, TimeUnit.SECONDS);
        return uid.equals("0");
    }

    /** Only after success: a failed start keeps its unpacked image and log for a look. */
    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /** Unpacks a docker-format image tar: the layers, in manifest order, into {@code work/root}. */
    private static Path unpack(Path tar, Path work) throws Exception {
        Path layers = Files.createDirectories(work.resolve("layers"));
        Path root = Files.createDirectories(work.resolve("root"));
        run("tar", "-xf", tar.toString(), "-C", layers.toString());
        JsonNode manifest = JSON.readTree(layers.resolve("manifest.json").toFile()).get(0);
        for (JsonNode layer : manifest.get("Layers")) {
            run("tar", "-xzf", layers.resolve(layer.asText()).toString(), "-C", root.toString());
        }
        return root;
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
