package io.receiptranger.endtoend;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One packaged service ({@code services/<name>/target/quarkus-app}) running as its own JVM, as
 * `./ranger up` and a container run it: configured by environment variables only.
 */
final class ServiceProcess implements AutoCloseable {

    static final Path REPO = Path.of(System.getProperty("repo.root", "../..")).toAbsolutePath().normalize();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int port;
    private final Path log;
    private final List<String> jvmOptions;

    private ServiceProcess(String name, Process process, int port, Path log, List<String> jvmOptions) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.log = log;
        this.jvmOptions = jvmOptions;
    }

    /** The heap each service gets unless a test says otherwise. */
    static final String HEAP = "-Xmx384m";

    static ServiceProcess start(String name, Map<String, String> env) {
        return start(name, env, List.of(HEAP));
    }

    /** With the given JVM options instead of the default small heap (e.g. a container's production flags). */
    static ServiceProcess start(String name, Map<String, String> env, List<String> jvmOptions) {
        Path jar = REPO.resolve("services").resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify from the repository root");
        }
        try {
            int port = freePort();
            Path logs = Files.createDirectories(Path.of("target", "e2e-logs"));
            Path log = logs.resolve(name + ".log");
            List<String> command = new java.util.ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.addAll(jvmOptions);
            command.addAll(List.of("-jar", jar.toString()));
            // Appended, with a line between starts: a service killed and started again keeps the log of
            // its first life, which is the one that says what went wrong.
            Files.writeString(log, "==== " + name + " started at " + java.time.Instant.now() + " ====\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
            builder.environment().putAll(env);
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            return new ServiceProcess(name, builder.start(), port, log, List.copyOf(jvmOptions));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for the service's readiness check, failing fast (with its log) if the JVM exits. */
    ServiceProcess awaitReady() {
        // -De2e.ready.minutes=N for a loaded machine (a cold JVM start can take minutes there).
        await(name + " ready").atMost(Duration.ofMinutes(Long.getLong("e2e.ready.minutes", 2))).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + ":\n" + tail());
            }
            return status("/q/health/ready") == 200;
        });
        return this;
    }

    int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }

    String baseUrl() {
        return "http://localhost:" + port;
    }

    int port() {
        return port;
    }

    /** Everything the process printed so far. */
    List<String> logLines() {
        try {
            return Files.readAllLines(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String name() {
        return name;
    }

    /** The operating system's id of the JVM: unchanged means it never restarted or exited. */
    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The JVM's resident set size as the kernel reports it ({@code VmRSS} of /proc), or "unknown". */
    String rss() {
        return procStatus("VmRSS:");
    }

    /** The highest resident set size the JVM has had since it started ({@code VmHWM} of /proc), or "unknown". */
    String hwm() {
        return procStatus("VmHWM:");
    }

    private String procStatus(String field) {
        try {
            return Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status")).stream()
                    .filter(l -> l.startsWith(field)).map(l -> l.substring(field.length()).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The heap in use now, MiB, from the service's own metrics ({@code jvm_memory_used_bytes{area="heap"}}), or -1. */
    long heapUsedMiB() {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(url("/q/metrics")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            double bytes = metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
            return (long) (bytes / (1024 * 1024));
        } catch (IOException | RuntimeException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The JVM options it was started with. */
    List<String> jvmOptions() {
        return jvmOptions;
    }

    /** {@code kill -9}: no shutdown hook, nothing flushed, nothing committed. */
    void kill9() throws InterruptedException {
        discard(); // destroyForcibly is SIGKILL on Linux
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /**
     * The test is over and nothing of this process is read again: SIGKILL, no drain. A graceful stop
     * costs 3–13 s a service here (each Kafka consumer leaves its group in turn, and Quarkus's HTTP
     * drain counts an upgraded WebSocket as a request that never ends, so an ingest that served a
     * progress socket waits out its whole shutdown timeout).
     */
    void discard() {
        process.destroyForcibly();
    }

    /** Waits for the process to be gone (after {@link #discard()}). */
    void awaitExit() {
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
