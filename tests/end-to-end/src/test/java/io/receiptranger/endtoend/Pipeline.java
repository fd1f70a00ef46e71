package io.receiptranger.endtoend;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.receiptranger.fakesheets.FakeSheets;
import io.receiptranger.kafkalocal.KafkaLocalProcess;

/**
 * The system as the end-to-end tests run it: one real broker, the three packaged services as
 * processes of their own (sink, extractor, ingest, in that order, each awaited ready), a shared file
 * blob store, Google Sheets faked in this JVM, and the model at a URL the test serves (each test
 * fakes the provider its own way). Every test that needs the whole pipeline starts it here, so a new
 * setting every service needs is added once; {@link #close()} stops all of it, also when start-up
 * failed half-way.
 */
final class Pipeline implements AutoCloseable {

    static final String SHEETS_SERVICE_ACCOUNT = "ranger@e2e.iam.gserviceaccount.com";

    final KafkaLocalProcess kafka;
    /** The fake Google Sheets; null when the test runs the sink without a spreadsheet. */
    final FakeSheets sheets;
    final Path blobs;
    final ServiceProcess sink;
    final ServiceProcess extractor;
    final ServiceProcess ingest;

    private Pipeline(KafkaLocalProcess kafka, FakeSheets sheets, Path blobs, List<ServiceProcess> services) {
        this.kafka = kafka;
        this.sheets = sheets;
        this.blobs = blobs;
        this.sink = services.get(0);
        this.extractor = services.get(1);
        this.ingest = services.get(2);
    }

    /** A pipeline whose extractor reads with OPENAI_API_KEY at {@code modelBaseUrl} (…/v1/). */
    static Builder withModelAt(String modelBaseUrl) {
        return new Builder(modelBaseUrl);
    }

    List<ServiceProcess> services() {
        return List.of(sink, extractor, ingest);
    }

    @Override
    public void close() {
        stop(services(), sheets, kafka);
    }

    private static void stop(List<ServiceProcess> services, FakeSheets sheets, KafkaLocalProcess kafka) {
        // All at once and without a graceful stop: the services, like the broker's topics, are thrown away.
        services.forEach(ServiceProcess::discard);
        services.forEach(ServiceProcess::awaitExit);
        if (sheets != null) {
            sheets.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    static final class Builder {
        private final Map<String, Map<String, String>> env = new HashMap<>();
        private final Map<String, List<String>> jvm = new HashMap<>();
        private final Map<String, String> everywhere = new HashMap<>();
        private KafkaLocalProcess kafka;
        private String spreadsheetId;
        private Path blobs;

        private Builder(String modelBaseUrl) {
            for (String service : List.of("sheets-sink", "extractor", "ingest")) {
                env.put(service, new HashMap<>());
            }
            env("extractor", "OPENAI_API_KEY", "test-key");
            env("extractor", "OPENAI_BASE_URL", modelBaseUrl);
        }

        /** The sink writes to this spreadsheet of a fake Google Sheets (without one: no spreadsheet, the ledger only). */
        Builder spreadsheet(String id) {
            this.spreadsheetId = id;
            return this;
        }

        /** A broker the test started itself (e.g. with SCRAM users); closed with the pipeline. */
        Builder kafka(KafkaLocalProcess broker) {
            this.kafka = broker;
            return this;
        }

        Builder blobs(Path dir) {
            this.blobs = dir;
            return this;
        }

        /** A setting of every service. */
        Builder everywhere(String name, String value) {
            everywhere.put(name, value);
            return this;
        }

        /** A setting of one service (wins over {@link #everywhere} and the defaults). */
        Builder env(String service, String name, String value) {
            env.get(service).put(name, value);
            return this;
        }

        Builder env(String service, Map<String, String> settings) {
            env.get(service).putAll(settings);
            return this;
        }

        /** JVM options of one service instead of the default small heap (e.g. the container's). */
        Builder jvm(String service, List<String> options) {
            jvm.put(service, options);
            return this;
        }

        Pipeline start() throws Exception {
            KafkaLocalProcess broker = kafka;
            FakeSheets sheets = null;
            List<ServiceProcess> started = new ArrayList<>();
            try {
                if (broker == null) {
                    broker = KafkaLocalProcess.start();
                }
                Path store = blobs != null ? blobs : Files.createTempDirectory("e2e-blobs");
                Map<String, String> common = new HashMap<>();
                common.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
                common.put("RANGER_BLOB_STORE", "file:" + store);
                common.putAll(everywhere);

                Map<String, String> sinkEnv = new HashMap<>(common);
                if (spreadsheetId != null) {
                    sheets = FakeSheets.start();
                    sheets.createSpreadsheet(spreadsheetId);
                    sinkEnv.put("GOOGLE_SHEETS_SPREADSHEET_ID", spreadsheetId);
                    sinkEnv.put("GOOGLE_SHEETS_ROOT_URL", sheets.baseUrl() + "/");
                    sinkEnv.put("GOOGLE_SHEETS_CREDENTIALS", Base64.getEncoder().encodeToString(
                            FakeSheets.serviceAccountJson(SHEETS_SERVICE_ACCOUNT, sheets.tokenUri()).getBytes(StandardCharsets.UTF_8)));
                }
                sinkEnv.putAll(env.get("sheets-sink"));
                ServiceProcess sink = start("sheets-sink", sinkEnv);
                started.add(sink);

                Map<String, String> extractorEnv = new HashMap<>(common);
                extractorEnv.putAll(env.get("extractor"));
                started.add(start("extractor", extractorEnv));

                Map<String, String> ingestEnv = new HashMap<>(common);
                ingestEnv.put("RANGER_SINK_URL", sink.baseUrl());
                ingestEnv.putAll(env.get("ingest"));
                started.add(start("ingest", ingestEnv));

                started.forEach(ServiceProcess::awaitReady);
                return new Pipeline(broker, sheets, store, started);
            } catch (Exception | Error e) {
                stop(started, sheets, broker);
                throw e;
            }
        }

        private ServiceProcess start(String service, Map<String, String> settings) {
            List<String> options = jvm.get(service);
            return options == null ? ServiceProcess.start(service, settings) : ServiceProcess.start(service, settings, options);
        }
    }
}
