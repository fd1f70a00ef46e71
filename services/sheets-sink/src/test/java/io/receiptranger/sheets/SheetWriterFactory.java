package io.receiptranger.sheets;

import java.time.Duration;
import java.util.Optional;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsClient;

/** Writers built from broken credential settings, for the credential tests. */
final class SheetWriterFactory {

    private SheetWriterFactory() {
    }

    static SheetWriter missingKey(FakeSheets fake) {
        return new SheetWriter(SheetsClient.create(config(fake, Optional.empty())), new InMemoryLedger(), null);
    }

    static SheetWriter garbageKey(FakeSheets fake) {
        // base64 of "secret-not-json"
        return new SheetWriter(SheetsClient.create(config(fake, Optional.of("c2VjcmV0LW5vdC1qc29u"))), new InMemoryLedger(), null);
    }

    private static SinkConfig.Sheets config(FakeSheets fake, Optional<String> key) {
        return new RecordingSink.TestSheetsConfig(key.orElse(null), fake.baseUrl() + "/", 60, Duration.ofSeconds(5));
    }
}
