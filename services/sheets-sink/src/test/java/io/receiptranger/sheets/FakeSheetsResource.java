package io.receiptranger.sheets;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.receiptranger.fakesheets.FakeSheets;

/** Starts the fake Google Sheets server and points the sink at it, with fast back-offs. */
public class FakeSheetsResource implements QuarkusTestResourceLifecycleManager {

    public static final String SPREADSHEET = "it-spreadsheet";
    public static final String LOCKED = "locked-spreadsheet";
    public static final String STORM = "storm-spreadsheet";
    /** The spreadsheet of owner {@value #FIXER}, whose receipts the corrections tests change. */
    public static final String CORRECTIONS = "corrections-spreadsheet";
    public static final String FIXER = "fixer";
    public static final String EMAIL = "sheets-sink@ranger-it.iam.gserviceaccount.com";

    private static volatile FakeSheets fake;

    public static FakeSheets fake() {
        return fake;
    }

    @Override
    public Map<String, String> start() {
        fake = FakeSheets.start();
        fake.createSpreadsheet(SPREADSHEET);
        fake.createSpreadsheet(LOCKED);
        fake.denyAccess(LOCKED);
        fake.createSpreadsheet(STORM);
        fake.createSpreadsheet(CORRECTIONS);
        String key = Base64.getEncoder().encodeToString(FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri()).getBytes(StandardCharsets.UTF_8));
        return Map.of(
                "ranger.sheets.spreadsheet-id", SPREADSHEET,
                "ranger.sheets.owners", "locked=" + LOCKED + ",storm=" + STORM + "," + FIXER + "=" + CORRECTIONS,
                "ranger.sheets.credentials", key,
                "ranger.sheets.root-url", fake.baseUrl() + "/",
                "ranger.sheets.backoff.initial", "50ms",
                "ranger.sheets.backoff.max", "500ms",
                "ranger.sheets.read-timeout", "5s");
    }

    @Override
    public void stop() {
        if (fake != null) {
            fake.close();
        }
    }
}
