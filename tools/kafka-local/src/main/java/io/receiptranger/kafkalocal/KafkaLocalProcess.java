package io.receiptranger.kafkalocal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts {@link KafkaLocal} as a child JVM on free ports and waits until it is ready. Uses only
 * the JDK, so test classpaths never see the broker's own jars.
 */
public final class KafkaLocalProcess implements AutoCloseable {

    /** System property naming the folder that holds {@code lib/} (set by the root pom for every test). */
    public static final String HOME_PROPERTY = "kafka.local.home";

    private final Process process;
    private final String bootstrapServers;
    private final String scramBootstrapServers;
    private final Path dataDir;

    private KafkaLocalProcess(Process process, String bootstrapServers, String scramBootstrapServers, Path dataDir) {
        this.process = process;
        this.bootstrapServers = bootstrapServers;
        this.scramBootstrapServers = scramBootstrapServers;
        this.dataDir = dataDir;
    }

    /** Starts a broker with a fresh data folder and waits at most two minutes for it. */
    public static KafkaLocalProcess start() {
        return start(false);
    }

    /**
     * Starts a broker that also has a SCRAM-SHA-512 listener where every request is authorised by
     * ACLs ({@link #scramBootstrapServers()}); the plain listener stays a super user's.
     */
    public static KafkaLocalProcess startWithScram() {
        return start(true);
    }

    private static KafkaLocalProcess start(boolean scram) {
        String home = System.getProperty(HOME_PROPERTY);
        if (home == null || !Files.isDirectory(Path.of(home, "lib"))) {
            throw new IllegalStateException("the embedded Kafka launcher is not built: expected " + home
                    + "/lib (run ./mvnw verify from the repository root, or add -am)");
        }
        try {
            Path dataDir = Files.createTempDirectory("kafka-local-");
            List<String> command = new ArrayList<>();
            command.add(ProcessHandle.current().info().command().orElse("java"));
            command.add("-Xmx512m");
            command.add("-cp");
            command.add(Path.of(home, "lib").toAbsolutePath() + "/*");
            command.add(KafkaLocal.class.getName());
            command.addAll(List.of("--dir", dataDir.toString(),
                    "--port", String.valueOf(freePort()),
                    "--controller-port", String.valueOf(freePort())));
            String scramBootstrap = null;
            if (scram) {
                int scramPort = freePort();
                command.addAll(List.of("--scram-port", String.valueOf(scramPort)));
                scramBootstrap = "localhost:" + scramPort;
            }
            Process process = new ProcessBuilder(command)
                    .redirectError(dataDir.resolve("kafka.log").toFile())
                    .start();
            CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> awaitReady(process));
            try {
                String bootstrap = ready.get(2, TimeUnit.MINUTES);
                return new KafkaLocalProcess(process, bootstrap, scramBootstrap, dataDir);
            } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
                process.destroyForcibly();
                throw new IllegalStateException("embedded Kafka did not start; see " + dataDir.resolve("kafka.log"), e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String awaitReady(Process process) {
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = out.readLine()) != null) {
                if (line.startsWith(KafkaLocal.READY_MARKER)) {
                    String bootstrap = line.substring(KafkaLocal.READY_MARKER.length()).trim();
                    // Keep draining stdout so the child never blocks on a full pipe.
                    Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "kafka-local-stdout");
                    drain.setDaemon(true);
                    drain.start();
                    return bootstrap;
                }
            }
            throw new IllegalStateException("embedded Kafka exited with " + process.waitFor());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The SCRAM-SHA-512 listener's address, or null when the broker was started without one. */
    public String scramBootstrapServers() {
        return scramBootstrapServers;
    }

    public long pid() {
        return process.pid();
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
