package io.receiptranger.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user types them, against a fake ingest: options, exit codes and the sentences
 * for an ingest that is down or refuses the token.
 */
class RangerTest {

    static final String TSV = "Amount\tDate\t\tVendor\tCategory\n25.50\t1/20/2026\t\tTaco Cabana\tFood & Restaurants\n";
    static final String TOKEN = "rr_pat_secret-value-123";

    final FakeIngest ingest = new FakeIngest();
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        ingest.close();
    }

    int ranger(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!all.contains("--ingest") && !List.of("help", "--help", "--version").contains(args[0])) {
            all.add("--ingest");
            all.add(ingest.url());
        }
        return Ranger.run(all.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void helpListsEveryCommand() {
        assertThat(ranger("help")).isZero();

        assertThat(out()).contains("submit", "receipts", "summary", "duplicates", "help");
    }

    @Test
    void theTsvIsPrintedExactlyAsTheLedgerWroteItWithTheFiltersAsked() {
        ingest.answer("GET /api/receipts", 200, "text/tab-separated-values", TSV);

        int code = ranger("receipts", "--format", "tsv", "--month", "2026-01", "--vendor", "Taco Cabana", "--min", "10",
                "--max", "30", "--category", "Food & Restaurants");

        assertThat(code).isZero();
        assertThat(out()).isEqualTo(TSV);
        assertThat(ingest.seen.get(0).uri()).isEqualTo("/api/receipts?month=2026-01&vendor=Taco+Cabana&minAmount=10&maxAmount=30"
                + "&category=Food+%26+Restaurants&format=tsv");
    }

    @Test
    void theTableIsTheOriginalsAndTheJsonIsIndented() {
        ingest.answer("GET /api/receipts", 200, "application/json", """
                [{"receiptId":"r-1","amount":"25.5","date":"2026-01-20","vendor":"Taco Cabana","categories":["Food & Restaurants"]}]""");

        assertThat(ranger("receipts")).isZero();
        assertThat(out()).isEqualTo("""
                Amount  Date              Vendor       Category
                ------  ---------  -----  -----------  ------------------
                25.50   1/20/2026         Taco Cabana  Food & Restaurants
                """);

        out.reset();
        assertThat(ranger("receipts", "--format", "json")).isZero();
        assertThat(out()).startsWith("[ {\n  \"receiptId\" : \"r-1\",");
    }

    @Test
    void aMonthThatIsNotYYYYMMIsAUsageErrorWithTheOriginalsSentence() {
        assertThat(ranger("receipts", "--month", "January")).isEqualTo(2);

        assertThat(err()).contains("Invalid --month format. Use YYYY-MM.");
        assertThat(ingest.seen).isEmpty();
    }

    @Test
    void aFilterTheLedgerRefusesIsAUsageErrorWithItsSentence() {
        ingest.answer("GET /api/receipts", 400, "application/problem+json",
                "{\"status\":400,\"detail\":\"Invalid category: Snacks. Choose from: Food & Restaurants, Groceries\"}");

        assertThat(ranger("receipts", "--category", "Snacks")).isEqualTo(2);
        assertThat(err()).contains("Invalid category: Snacks. Choose from: Food & Restaurants");
    }

    @Test
    void theSummaryShowsTheMonthAndTotalsByCategory() {
        ingest.answer("GET /api/summary", 200, "application/json", """
                {"month":"2026-10","count":4,"total":"462.09","byCategory":[{"category":"Education","count":1,"total":"290.26"},
                 {"category":"Food & Restaurants","count":2,"total":"116.37"},{"category":"Fees & Services","count":1,"total":"55.46"}]}""");

        assertThat(ranger("summary", "--month", "2026-10")).isZero();

        assertThat(out()).isEqualTo("""
                October 2026: 4 receipts, total 462.09

                Category            Receipts   Total
                ------------------  --------  ------
                Education                  1  290.26
                Food & Restaurants         2  116.37
                Fees & Services            1   55.46
                """);
        assertThat(ingest.seen.get(0).uri()).isEqualTo("/api/summary?month=2026-10");
    }

    @Test
    void aSummaryWithoutAMonthIsAUsageError() {
        assertThat(ranger("summary")).isEqualTo(2);
        assertThat(err()).contains("Missing required option: '--month=YYYY-MM'");
    }

    @Test
    void theTokenTravelsAsBearerAndARefusedOneIsSaidInASentenceWithoutIt() {
        ingest.answer("GET /api/duplicates", 401, "application/problem+json", "{\"status\":401,\"detail\":\"Sign in first.\"}");

        int code = ranger("duplicates", "--token", TOKEN);

        assertThat(code).isEqualTo(3);
        assertThat(ingest.seen.get(0).headers().get("Authorization")).containsExactly("Bearer " + TOKEN);
        assertThat(err()).contains("refused the token (401)").contains("--token or RANGER_TOKEN").contains("Sign in first.")
                .doesNotContain(TOKEN);
    }

    @Test
    void withoutATokenA401SaysHowToGetOne() {
        ingest.answer("GET /api/receipts", 401, "application/problem+json", "{\"status\":401}");

        assertThat(ranger("receipts")).isEqualTo(3);
        assertThat(err()).contains("wants a sign-in (401)").contains("personal API token");
        assertThat(ingest.seen.get(0).headers()).doesNotContainKey("Authorization");
    }

    @Test
    void aForbiddenCallerIsToldWhy() {
        ingest.answer("GET /api/summary", 403, "application/problem+json", "{\"status\":403,\"detail\":\"Not on the allow-list.\"}");

        assertThat(ranger("summary", "--month", "2026-01", "--token", TOKEN)).isEqualTo(3);
        assertThat(err()).contains("does not allow this token (403)").contains("Not on the allow-list.");
    }

    @Test
    void anIngestThatIsNotThereIsSaidInASentence() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        int code = ranger("receipts", "--ingest", "http://127.0.0.1:" + port);

        assertThat(code).isEqualTo(3);
        assertThat(err()).contains("Cannot reach the ingest at http://127.0.0.1:" + port + " (connection refused)")
                .contains("./ranger up").doesNotContain("Exception");
    }

    @Test
    void anIngestAddressThatIsNotHttpIsAUsageError() {
        assertThat(ranger("receipts", "--ingest", "localhost:8080")).isEqualTo(2);
        assertThat(err()).contains("--ingest must be an http:// or https:// address");
    }

    @Test
    void submitSendsOnlyNewPhotosAndFollowsThemToTheirEnd() throws Exception {
        // Given a folder of two photos the ledger does not know and one it does, plus a note
        Files.write(dir.resolve("new-1.jpg"), new byte[] {1});
        Files.write(dir.resolve("new-2.png"), new byte[] {2});
        Files.write(dir.resolve("old.jpg"), new byte[] {3});
        Files.writeString(dir.resolve("notes.txt"), "hi");
        String oldHash = io.receiptranger.cli.submit.PhotoFinderTest.sha256(new byte[] {3});
        ingest.answer("POST /api/receipts/lookup", 200, "application/json",
                "{\"found\":[{\"sha256\":\"" + oldHash + "\",\"receiptId\":\"r-0\",\"state\":\"WRITTEN\"}]}");
        ingest.answer("POST /api/batches", 202, "application/json", """
                {"batchId":"b-1","accepted":[{"receiptId":"r-1","fileName":"new-1.jpg","duplicateOf":null}],
                 "rejected":[{"fileName":"new-2.png","status":422,"error":"the image is corrupt"}],"progress":"/ws/batches/b-1"}""");
        ingest.answer("GET /api/batches/b-1", 200, "application/json", """
                {"batchId":"b-1","complete":true,"receipts":[{"receiptId":"r-1","stage":"WRITTEN","detail":"added to January 2026, row 2",
                 "receipt":{"total":"25.50","date":"2026-01-20","vendor":"Taco Cabana","categories":["Food & Restaurants"]}}]}""");

        // When it is submitted (not on a terminal: plain lines)
        int code = ranger("submit", dir.toString());

        // Then one photo was known, two were new; only those two were uploaded, with the CLI's name for itself
        assertThat(out()).contains("Skipped 1 file:\n  notes.txt: not an image").contains("1 already processed, 2 new");
        FakeIngest.Seen upload = ingest.seen.stream().filter(s -> s.uri().equals("/api/batches")).findFirst().orElseThrow();
        assertThat(upload.body()).contains("filename=\"new-1.jpg\"", "filename=\"new-2.png\"").doesNotContain("old.jpg");
        assertThat(upload.headers().get("User-agent").get(0)).startsWith("receipt-ranger-cli/");
        // And the batch was followed to its end; the rejected photo is a failure with its reason, so the exit code is 1
        assertThat(out()).contains("[1/2] written       new-1.jpg — added to January 2026, row 2");
        assertThat(out()).containsPattern("written\\s+1\\n").containsPattern("failed\\s+1\\n");
        assertThat(out()).contains("new-2.png  failed   rejected (422): the image is corrupt");
        assertThat(out()).contains("25.50   1/20/2026         Taco Cabana  Food & Restaurants");
        assertThat(code).isEqualTo(1);
    }

    @Test
    void submitOfPhotosTheLedgerHasSendsNothing() throws Exception {
        Files.write(dir.resolve("old.jpg"), new byte[] {3});
        String oldHash = io.receiptranger.cli.submit.PhotoFinderTest.sha256(new byte[] {3});
        ingest.answer("POST /api/receipts/lookup", 200, "application/json",
                "{\"found\":[{\"sha256\":\"" + oldHash + "\",\"receiptId\":\"r-0\",\"state\":\"NOT_A_RECEIPT\"}]}");

        assertThat(ranger("submit", dir.toString())).isZero();

        assertThat(out()).isEqualTo("1 already processed, 0 new\nNothing new to send.\n");
        assertThat(ingest.seen).extracting(FakeIngest.Seen::uri).containsExactly("/api/receipts/lookup");
        assertThat(ingest.seen.get(0).body()).isEqualTo("{\"sha256\":[\"" + oldHash + "\"]}");
    }

    @Test
    void aBatchSizeOutsideOneToTwentyIsAUsageError() {
        assertThat(ranger("submit", "--batch-size", "21", dir.toString())).isEqualTo(2);
        assertThat(err()).contains("--batch-size must be between 1 and 20");
    }
}
