package io.receiptranger.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.ingest.IngestClient;
import io.receiptranger.cli.text.Text;

/** What the report commands share. */
final class Reports {

    private Reports() {
    }

    /** JSON for a person or for jq: indented, with nothing in it that acts on a terminal. */
    static String pretty(JsonNode node) {
        try {
            return Text.export(IngestClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
