package io.receiptranger.endtoend;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A real Prometheus (Debian's {@code prometheus} package, which .ci/run installs) scraping the given
 * services every second, with the repository's alert rules loaded; its data in a temporary folder,
 * stopped with the test. Queries go through its HTTP API.
 */
final class PrometheusProcess implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final Process process;
    private final int port;
    private final Path log;

    private PrometheusProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** Starts Prometheus with one scrape job per entry (job name → the service's port). */
    static PrometheusProcess start(Map<String, Integer> jobs, Path rules) {
        try {
            Path home = Files.createTempDirectory("e2e-prometheus");
            StringBuilder config = new StringBuilder("""
                    global:
                      scrape_interval: 1s
                      evaluation_interval: 1s
                    rule_files:
                      - "%s"
                    scrape_configs:
                    """.formatted(rules.toAbsolutePath()));
            jobs.forEach((job, port) -> config.append("""
                      - job_name: "%s"
                        metrics_path: /q/metrics
                        static_configs:
                          - targets: ["127.0.0.1:%d"]
                    """.formatted(job, port)));
            Path file = Files.writeString(home.resolve("prometheus.yml"), config);
            int port = ServiceProcess.freePort();
            Path log = Files.createDirectories(Path.of("target", "e2e-logs")).resolve("prometheus.log");
            Process process = new ProcessBuilder(List.of("prometheus", "--config.file=" + file,
                    "--storage.tsdb.path=" + home.resolve("data"), "--web.listen-address=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            PrometheusProcess prometheus = new PrometheusProcess(process, port, log);
            await("Prometheus ready").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("prometheus exited: " + Files.readString(log));
                }
                return prometheus.status("/-/ready") == 200;
            });
            return prometheus;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start prometheus (apt-get install prometheus)", e);
        }
    }

    /** The {@code data} of an instant query; fails on a query Prometheus refuses. */
    JsonNode query(String promql) {
        JsonNode answer = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
        if (!"success".equals(answer.path("status").asText())) {
            throw new AssertionError("Prometheus refused " + promql + ": " + answer);
        }
        return answer.path("data");
    }

    /** The loaded rule groups ({@code /api/v1/rules}). */
    JsonNode rules() {
        return get("/api/v1/rules").path("data").path("groups");
    }

    /** The scrape targets ({@code /api/v1/targets}). */
    JsonNode targets() {
        return get("/api/v1/targets").path("data").path("activeTargets");
    }

    private JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(2))
                    .build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
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
