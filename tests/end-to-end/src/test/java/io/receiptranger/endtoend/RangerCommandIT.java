package io.receiptranger.endtoend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The newcomer's path: `./ranger up`, a curl upload that reaches a terminal stage,
 * `./ranger status`, `./ranger down` — and afterwards no process it started is alive.
 */
class RangerCommandIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path RANGER = ServiceProcess.REPO.resolve("ranger");
    private static final Path RECEIPT = ServiceProcess.REPO.resolve("samples/receipts/receipt-66698.jpg");
    private static final List<String> TERMINAL = List.of("WRITTEN", "DUPLICATE", "NOT_A_RECEIPT", "EXCLUDED", "FAILED");

    @TempDir
    Path home;

    private final Map<String, String> env = new HashMap<>();

    @AfterEach
    void alwaysStopEverything() throws Exception {
        run("down");
    }

    @Test
    void upUploadStatusDownLeavesNothingRunning() throws Exception {
        // Given free ports and a state folder of this test's own (the developer's .ranger/ stays untouched)
        env.put("RANGER_HOME", home.toString());
        env.put("RANGER_INGEST_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("RANGER_EXTRACTOR_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("RANGER_SINK_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("RANGER_KAFKA_PORT", String.valueOf(ServiceProcess.freePort()));
        env.put("RANGER_KAFKA_CONTROLLER_PORT", String.valueOf(ServiceProcess.freePort()));
        String ingest = "http://localhost:" + env.get("RANGER_INGEST_PORT");

        // When the system is brought up
        Result up = run("up");

        // Then it says where the UI is, and every JVM has its pid file
        assertThat(up.exitCode).as(up.output).isZero();
        assertThat(up.output).contains("Receipt Ranger is ready: " + ingest + "/");
        List<Long> pids = pids();
        assertThat(pids).hasSize(4);

        // When a receipt is uploaded with curl
        Result upload = exec(List.of("curl", "-sS", "-F", "files=@" + RECEIPT, ingest + "/api/batches"));
        assertThat(upload.exitCode).as(upload.output).isZero();
        JsonNode accepted = JSON.readTree(upload.output);
        String batchId = accepted.get("batchId").asText();

        // Then it reaches a terminal stage
        await("a terminal stage").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Result batch = exec(List.of("curl", "-sS", ingest + "/api/batches/" + batchId));
            JsonNode receipts = JSON.readTree(batch.output).get("receipts");
            assertThat(receipts).hasSize(1);
            assertThat(receipts.get(0).get("stage").asText()).isIn(TERMINAL);
        });

        // And status reports all four running and ready
        Result status = run("status");
        assertThat(status.exitCode).as(status.output).isZero();
        assertThat(status.output.lines().filter(l -> l.contains("running") && l.endsWith("ready"))).hasSize(4);

        // When it is brought down
        Result down = run("down");

        // Then no process it started is alive
        assertThat(down.exitCode).as(down.output).isZero();
        assertThat(pids).allSatisfy(pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("pid %d alive", pid).isFalse());
    }

    private List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(home.resolve("run"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    private Result run(String command) throws Exception {
        return exec(List.of(RANGER.toString(), command));
    }

    private Result exec(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(ServiceProcess.REPO.toFile());
        builder.environment().putAll(env);
        // The developer's keys must not leak into this run: it tests the no-key path.
        builder.environment().remove("OPENAI_API_KEY");
        builder.environment().remove("GOOGLE_SHEETS_SPREADSHEET_ID");
        builder.environment().remove("KAFKA_BOOTSTRAP_SERVERS");
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
        }
        return new Result(process.exitValue(), output);
    }

    private record Result(int exitCode, String output) {
    }
}
