package io.receiptranger.endtoend;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The packaged CLI ({@code ./ranger submit|receipts|summary|duplicates}, run as a user runs it)
 * against the three packaged services on one real broker, with a fake vision model that reads the
 * sample receipts perfectly ({@link ReadsSamplesByShape}) and the ledger as the table (no Google
 * Sheets). One shoebox folder of the samples goes through in order: the first run processes it, a
 * second sends nothing, the reports read it back; then the exit codes, and the live bars on a real
 * terminal (tmux). Output is piped here, as in a script, except in the terminal test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SAMPLES = ServiceProcess.REPO.resolve("samples/receipts");
    private static final Path RANGER = ServiceProcess.REPO.resolve("ranger");
    private static final String CRITERIA = "Exclude anything paid with the card ending 1234";

    private static final String HEADER = "Amount\tDate\t\tVendor\tCategory";
    /** What a perfect reading of the samples leaves in the ledger: not the non-receipts, duplicates or the excluded one. */
    private static final List<String> WRITTEN_ROWS = List.of(
            "167.61\t10/5/2025\t\tPEAK YOGA STUDIO\tSubscriptions & Memberships",
            "17.49\t10/12/2026\t\tPHO SAIGON HOUSE\tFood & Restaurants",
            "290.26\t10/9/2026\t\tSummit Learning Center\tEducation",
            "91.76\t7/6/2026\t\tHappy Tails Pet Shop\tPet Care",
            "110.70\t\t\tNonna Rosa Pizzeria\tFood & Restaurants",
            "124.40\t\t\tNorthwind Air\tTravel",
            "12.27\t1/11/2025\t\t'=HYPERLINK(\"http://refund.example\",\"Refund\")\tFood & Restaurants",
            "98.88\t10/3/2026\t\tNonna Rosa Pizzeria\tFood & Restaurants",
            "68.68\t4/13/2026\t\tHappy Tails Pet Shop\tPet Care",
            "99.02\t1/14/2026\t\tCopper Kettle Diner\tFood & Restaurants",
            "84.32\t2/5/2026\t\tGREEN THUMB NURSERY\tHome & Garden",
            "55.46\t10/20/2026\t\tQuickPress Laundry\tFees & Services",
            "372.82\t3/12/2025\t\tSummit Learning Center\tEducation",
            "69.40\t4/26/2026\t\tCareFirst Drugs\tHealth & Medical",
            "41.63\t1/31/2025\t\tNonna Rosa Pizzeria\tFood & Restaurants");

    private static Pipeline system;
    private static WireMockServer openAi;
    private static ReadsSamplesByShape model;
    private static ServiceProcess ingest;
    private static Path work;
    private static Path shoebox;

    @BeforeAll
    static void startTheSystem() throws Exception {
        work = Files.createTempDirectory("cli-e2e");
        shoebox = Files.createDirectories(work.resolve("shoebox"));
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path file : files.toList()) {
                Files.copy(file, shoebox.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        model = new ReadsSamplesByShape(SAMPLES.resolve("truth.json"));
        openAi = new WireMockServer(wireMockConfig().dynamicPort().extensions(model));
        openAi.start();
        openAi.stubFor(post(urlPathEqualTo("/v1/chat/completions")).willReturn(aResponse().withTransformers(ReadsSamplesByShape.NAME)));
        // No spreadsheet: the CLI's summary and exports come from the sink's ledger.
        system = Pipeline.withModelAt(openAi.baseUrl() + "/v1/").blobs(Files.createDirectories(work.resolve("blobs")))
                .env("extractor", "OPENAI_MODEL", "gpt-5-mini").start();
        ingest = system.ingest;
    }

    @AfterAll
    static void stopTheSystem() {
        if (system != null) {
            system.close();
        }
        if (openAi != null) {
            openAi.stop();
        }
    }

    @Test
    @Order(1)
    void aShoeboxFolderIsProcessedWithOneLinePerReceiptAndTheSummaryIsRight() throws Exception {
        // When the folder of the twenty sample photos (and two other files) is submitted from a script
        Run run = ranger("submit", shoebox.toString(), "--exclude", CRITERIA);

        // Then every photo ended well, and the output is plain lines, no terminal control sequences
        assertThat(run.exitCode).as(run.all()).isZero();
        assertThat(run.out).doesNotContain("\u001b", "\r");
        assertThat(run.out).contains("Skipped 2 files:\n  README.md: not an image\n  truth.json: not an image\n");
        assertThat(run.out).contains("0 already processed, 20 new\n");
        assertThat(run.out).contains("Batch 1 of 1: 19 sent");
        assertThat(run.out.lines().filter(l -> l.matches("\\[\\s*\\d+/19] .*"))).hasSize(19);
        assertThat(run.out).contains("Sent 19 photos in 1 batch");

        // And the summary counts what a perfect reading of the samples gives
        assertThat(run.out).containsPattern("(?m)^written\\s+15$").containsPattern("(?m)^duplicate\\s+2$")
                .containsPattern("(?m)^not a receipt\\s+2$").containsPattern("(?m)^excluded\\s+1$").containsPattern("(?m)^failed\\s+0$");
        // with why each photo was not written
        // (folders are read in sorted order, so the first of the two identical files is PXL_20260402_916358.jpg)
        assertThat(run.out).containsPattern("(?m)^receipt-5423\\.jpg\\s+duplicate\\s+the same bytes as PXL_20260402_916358\\.jpg, sent once$")
                .containsPattern("(?m)^Photo 2934\\.jpg\\s+not a receipt\\s+\\S")
                .containsPattern("(?m)^receipt-94896\\.png\\s+not a receipt\\s+\\S")
                .containsPattern("(?m)^Photo 1881\\.jpg\\s+excluded\\s+paid with the card ending 1234$")
                .containsPattern("(?m)^(PXL_20260402_916358\\.jpg|Photo 8644\\.jpg)\\s+duplicate\\s+already in the local ledger for October 2025 "
                        + "\\((PXL_20260402_916358\\.jpg|Photo 8644\\.jpg)\\)$");
        // and the written receipts as the original's table
        assertThat(run.out).containsPattern("(?m)^Amount\\s+Date\\s+Vendor\\s+Category$")
                .containsPattern("(?m)^290\\.26\\s+10/9/2026\\s+Summit Learning Center\\s+Education$");

        // And the ingest recorded the uploads as the CLI's, with the photos' own hashes
        List<JsonNode> submitted = new ArrayList<>();
        for (ConsumerRecord<String, String> r : TopicReader.readAll(system.kafka.bootstrapServers(), "receipts")) {
            submitted.add(JSON.readTree(r.value()));
        }
        assertThat(submitted).hasSize(19).allSatisfy(s -> assertThat(s.path("source").asText()).isEqualTo("cli"));
        assertThat(submitted).anySatisfy(s -> assertThat(s.path("sha256").asText())
                .isEqualTo("f16c94f2173c1c05cda51e1a80294ef868a4df27b3c94408cc0ba59e0a0dd003"));
    }

    @Test
    @Order(2)
    void theMonthsSummaryAndTheDuplicatesReadTheLedgerBack() throws Exception {
        Run summary = ranger("summary", "--month", "2026-10");

        assertThat(summary.exitCode).as(summary.all()).isZero();
        assertThat(summary.out).isEqualTo("""
                October 2026: 4 receipts, total 462.09

                Category            Receipts   Total
                ------------------  --------  ------
                Education                  1  290.26
                Food & Restaurants         2  116.37
                Fees & Services            1   55.46
                """);

        Run duplicates = ranger("duplicates");
        assertThat(duplicates.exitCode).as(duplicates.all()).isZero();
        // The same yoga receipt photographed twice: whichever was read second repeats the first.
        assertThat(duplicates.out.lines()).hasSize(3);
        assertThat(duplicates.out).containsPattern("(?m)^(PXL_20260402_916358\\.jpg|Photo 8644\\.jpg)\\s+167\\.61\\s+10/5/2025\\s+PEAK YOGA STUDIO\\s+"
                + "(PXL_20260402_916358\\.jpg|Photo 8644\\.jpg)\\s+already in the local ledger for October 2025");
    }

    @Test
    @Order(3)
    void aSecondRunOverTheSameFolderSendsNothing() throws Exception {
        int before = TopicReader.readAll(system.kafka.bootstrapServers(), "receipts").size();

        Run again = ranger("submit", shoebox.toString());

        assertThat(again.exitCode).as(again.all()).isZero();
        assertThat(again.out).endsWith("20 already processed, 0 new\nNothing new to send.\n");
        assertThat(TopicReader.readAll(system.kafka.bootstrapServers(), "receipts")).hasSize(before);
    }

    @Test
    @Order(4)
    void theTsvIsTheOriginalsLayoutByteForByte() throws Exception {
        Run october = ranger("receipts", "--format", "tsv", "--month", "2025-10");
        assertThat(october.exitCode).as(october.all()).isZero();
        assertThat(october.out).isEqualTo(HEADER + "\n" + "167.61\t10/5/2025\t\tPEAK YOGA STUDIO\tSubscriptions & Memberships\n");
        assertThat(october.err).isEmpty();

        Run all = ranger("receipts", "--format", "tsv");
        assertThat(all.exitCode).as(all.all()).isZero();
        assertThat(all.out).startsWith(HEADER + "\n").endsWith("\n").doesNotContain("\r");
        assertThat(all.out.lines().skip(1).toList()).containsExactlyInAnyOrderElementsOf(WRITTEN_ROWS);
        HttpResponse<byte[]> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(ingest.url("/api/receipts?format=tsv")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(all.out.getBytes(StandardCharsets.UTF_8)).isEqualTo(direct.body());

        Run nonna = ranger("receipts", "--vendor", "nonna", "--min", "50");
        assertThat(nonna.exitCode).as(nonna.all()).isZero();
        assertThat(nonna.out.lines().toList()).hasSize(4).first().asString().matches("Amount\\s+Date\\s+Vendor\\s+Category");
        assertThat(nonna.out).contains("110.70").contains("98.88").doesNotContain("41.63");
    }

    @Test
    @Order(5)
    void theExitCodeSaysWhatHappened() throws Exception {
        // A file named like a photo that is not one: the ingest rejects it, the run fails with its reason
        Path odd = Files.createDirectories(work.resolve("odd"));
        Files.writeString(odd.resolve("not-a-photo.jpg"), "just some text");
        Run failed = ranger("submit", odd.toString());
        assertThat(failed.exitCode).as(failed.all()).isEqualTo(1);
        assertThat(failed.out).containsPattern("(?m)^failed\\s+1$").containsPattern("(?m)^not-a-photo\\.jpg\\s+failed\\s+rejected \\(415\\): ");

        // A usage error
        Run usage = ranger("receipts", "--month", "2026-1x");
        assertThat(usage.exitCode).isEqualTo(2);
        assertThat(usage.err).contains("Invalid --month format. Use YYYY-MM.");

        // An ingest that is not there
        int port = ServiceProcess.freePort();
        Run down = ranger("summary", "--month", "2026-10", "--ingest", "http://127.0.0.1:" + port);
        assertThat(down.exitCode).isEqualTo(3);
        assertThat(down.err).contains("Cannot reach the ingest at http://127.0.0.1:" + port + " (connection refused)");
        assertThat(down.out).isEmpty();
    }

    @Test
    @Order(6)
    void onATerminalEachBatchHasALiveBarRedrawnInPlace() throws Exception {
        // Given six of the photos, and a real terminal (tmux) 200 columns wide
        Path six = Files.createDirectories(work.resolve("six"));
        for (String file : List.of("receipt-5423.jpg", "Photo 2934.jpg", "IMG_6221.jpg", "scan_415.jpg", "Photo 1881.jpg", "receipt-66698.jpg")) {
            Files.copy(SAMPLES.resolve(file), six.resolve(file));
        }
        Path socket = work.resolve("tmux.sock");
        String command = "cd '" + ServiceProcess.REPO + "' && RANGER_INGEST_URL=" + ingest.baseUrl() + " ./ranger submit --again --batch-size 2 '"
                + six + "'; echo \"exit=$?\"; sleep 600";
        exec(List.of("tmux", "-S", socket.toString(), "new-session", "-d", "-s", "cli", "-x", "200", "-y", "60", command));
        try {
            // When they are sent again in batches of two and followed to their end
            await("the run to end").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofMillis(500))
                    .until(() -> screen(socket).contains("exit="));
            String screen = screen(socket);
            Files.writeString(Files.createDirectories(Path.of("target", "e2e-logs")).resolve("cli-terminal-screen.txt"), screen);

            // Then there is one bar for the run and one per batch, each drawn once (updated in place, not scrolled)
            List<String> lines = screen.lines().toList();
            assertThat(lines.stream().filter(l -> l.startsWith("All "))).as(screen).hasSize(1);
            for (int batch = 1; batch <= 3; batch++) {
                String name = "Batch " + batch + "/3 ";  // names padded to one width: "All       ", "Batch 1/3 "
                assertThat(lines.stream().filter(l -> l.startsWith(name))).as(screen).hasSize(1);
                assertThat(lines.stream().filter(l -> l.startsWith(name)).findFirst().orElseThrow()).contains("100%").contains("2/2");
            }
            // each finished, with its elapsed time and ETA, and the receipts per stage
            String all = lines.stream().filter(l -> l.startsWith("All ")).findFirst().orElseThrow();
            assertThat(all).contains("100%").contains("6/6").containsPattern("\\(\\d+:\\d\\d:\\d\\d / \\d+:\\d\\d:\\d\\d\\)")
                    .containsPattern("\\d+ duplicate");
            // And the summary follows the bars: photos the ledger knows are answered from it without a model call
            // ("the same photo as receipt …, which was not a receipt"), unless its feed had not caught up yet
            assertThat(screen).contains("Sending all 6 photos").contains("exit=0");
            assertThat(lines.stream().filter(l -> l.startsWith("Photo 2934.jpg")).findFirst().orElseThrow()).contains("not a receipt");
            assertThat(screen.indexOf("Outcome")).isGreaterThan(screen.indexOf("All "));
        } finally {
            exec(List.of("tmux", "-S", socket.toString(), "kill-server"));
        }
    }

    private static String screen(Path socket) throws Exception {
        // The whole pane with its scroll-back, as the terminal shows it (escape sequences applied).
        return exec(List.of("tmux", "-S", socket.toString(), "capture-pane", "-p", "-J", "-S", "-", "-t", "cli")).out;
    }

    /** {@code ./ranger <args>} as a script runs it: output piped, this system's ingest. */
    private static Run ranger(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(RANGER.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private static Run exec(List<String> command) throws Exception {
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(ServiceProcess.REPO.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("RANGER_INGEST_URL", ingest.baseUrl());
        builder.environment().remove("RANGER_TOKEN");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within 5 minutes:\n" + read(out) + read(err));
        }
        return new Run(process.exitValue(), read(out), read(err));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private record Run(int exitCode, String out, String err) {
        String all() {
            return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
