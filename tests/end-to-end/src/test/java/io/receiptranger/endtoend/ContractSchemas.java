package io.receiptranger.endtoend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;

/** The JSON Schemas of {@code contracts/}, one per topic. */
final class ContractSchemas {

    static final Path CONTRACTS = ServiceProcess.REPO.resolve("contracts");
    static final ObjectMapper JSON = new ObjectMapper();

    /** Topic → the schema its records follow. */
    static final Map<String, String> SCHEMA_OF_TOPIC = Map.of(
            "receipts", "receipt-submitted.schema.json",
            "extractions", "receipt-extracted.schema.json",
            "receipt-status", "receipt-status.schema.json");

    private ContractSchemas() {
    }

    static JsonSchema schema(String file) {
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(read(file), config);
    }

    /** The violations of one record, as sentences; empty when it follows the schema. */
    static Set<String> violations(String schemaFile, JsonNode record) {
        return schema(schemaFile).validate(record).stream().map(Object::toString).collect(Collectors.toSet());
    }

    static JsonNode read(String file) {
        try {
            return JSON.readTree(Files.readString(CONTRACTS.resolve(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
