package io.receiptranger.sheets;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.sheets.config.SinkConfig;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsClient;
import io.receiptranger.sheets.sheets.SheetsConnection;
import io.receiptranger.sheets.sheets.SheetsStatus;
import io.receiptranger.sheets.sheets.SpreadsheetTargets;
import io.receiptranger.sheets.sheets.TabCache;

/**
 * The sink's recording side as CDI wires it, for unit tests: the real Google client against the fake
 * Sheets server (in-process), the ledger in memory, the statuses it publishes collected, fast
 * back-offs. A fresh one before each test ({@link #start()}), for {@link ReceiptRecorderTest} (which
 * extends it) and for tests that drive the recorder from elsewhere ({@code ExtractionConsumerTest}).
 */
class RecordingSink {

    static final String SHEET = "sheet-default";
    static final String EMAIL = "ranger-sink@demo-project.iam.gserviceaccount.com";
    static final String ME = "sink-0";
    static final Duration HANDOVER_GRACE = Duration.ofSeconds(30);

    FakeSheets fake;
    InMemoryLedger ledger;
    List<ReceiptStatus> statuses;
    SheetsStatus sheetsStatus;
    ReceiptRecorder recorder;
    SheetsConnection connection;
    Duration readTimeout = Duration.ofSeconds(5);
    /** The owners whose review setting is on (owner-settings), as the recorder asks it. */
    final java.util.Set<String> reviewing = new java.util.concurrent.CopyOnWriteArraySet<>();

    @BeforeEach
    void start() {
        fake = FakeSheets.start();
        fake.createSpreadsheet(SHEET);
        ledger = new InMemoryLedger();
        statuses = new CopyOnWriteArrayList<>();
        sheetsStatus = new SheetsStatus(new SimpleMeterRegistry());
        recorder = recorder(new SpreadsheetTargets(Map.of(), Optional.of(SHEET)));
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    ReceiptRecorder recorder(SpreadsheetTargets targets) {
        TabCache cache = new TabCache(Duration.ofMinutes(10));
        SinkConfig.Sheets config = sheetsConfig(fake, 6000, readTimeout);
        return recorder(targets, cache, () -> new SheetWriter(SheetsClient.create(config), ledger, cache));
    }

    /** The recorder and its parts as CDI wires them, with fast back-offs; Sheets connected as at startup. */
    ReceiptRecorder recorder(SpreadsheetTargets targets, TabCache cache, Supplier<SheetWriter> writerFactory) {
        connection = new SheetsConnection(targets, sheetsStatus, cache, writerFactory);
        connection.start();
        Bookkeeping book = new Bookkeeping(ledger, statuses::add, new Retrying(Duration.ofMillis(10), Duration.ofMillis(100)));
        return new ReceiptRecorder(ledger, targets, book, new SpreadsheetRecorder(connection, sheetsStatus, book), new LedgerOnlyRecorder(ledger, book),
                new Handover(ledger, book, ME, HANDOVER_GRACE, java.time.Clock.systemUTC()), new Rereads(ledger, connection), owner -> reviewing.contains(owner));
    }

    static SinkConfig.Sheets sheetsConfig(FakeSheets fake, int perMinute, Duration readTimeout) {
        String key = Base64.getEncoder().encodeToString(FakeSheets.serviceAccountJson(EMAIL, fake.tokenUri()).getBytes(StandardCharsets.UTF_8));
        return new TestSheetsConfig(key, fake.baseUrl() + "/", perMinute, readTimeout);
    }

    static ReceiptExtracted extracted(String id, String total, String date, String vendor, String... categories) {
        return new ReceiptExtracted(id, "b-1", "default", id + ".jpg", "sha-" + id, ReceiptExtracted.EXTRACTED, "",
                new ReceiptExtracted.Receipt(total, null, null, null, "USD", date, vendor, List.of(categories), List.of("Card"), null),
                "2026-11-28T22:00:0" + (Math.abs(id.hashCode()) % 10) + "Z");
    }

    List<String> stagesOf(String id) {
        return statuses.stream().filter(s -> s.receiptId().equals(id)).map(ReceiptStatus::stage).toList();
    }

    ReceiptStatus last(String id) {
        List<ReceiptStatus> mine = statuses.stream().filter(s -> s.receiptId().equals(id)).toList();
        return mine.get(mine.size() - 1);
    }

    /** Settings as the tests need them: fast, generous quota. */
    record TestSheetsConfig(String key, String root, int perMinute, Duration readTimeout, String file) implements SinkConfig.Sheets {

        TestSheetsConfig(String key, String root, int perMinute, Duration readTimeout) {
            this(key, root, perMinute, readTimeout, null);
        }
        public Optional<String> spreadsheetId() {
            return Optional.of(SHEET);
        }

        public Optional<String> owners() {
            return Optional.empty();
        }

        public Optional<String> credentials() {
            return Optional.ofNullable(key);
        }

        public Optional<String> credentialsFile() {
            return Optional.ofNullable(file);
        }

        public String rootUrl() {
            return root;
        }

        public Duration connectTimeout() {
            return Duration.ofSeconds(5);
        }

        public int writesPerMinute() {
            return perMinute;
        }

        public int readsPerMinute() {
            return perMinute;
        }

        public int burst() {
            return 10;
        }

        public Duration tabCacheTtl() {
            return Duration.ofMinutes(10);
        }

        public SinkConfig.Backoff backoff() {
            return new SinkConfig.Backoff() {
                public Duration initial() {
                    return Duration.ofMillis(10);
                }

                public Duration max() {
                    return Duration.ofMillis(100);
                }
            };
        }
    }
}
