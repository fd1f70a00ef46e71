package io.receiptranger.cli.submit;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How one photo of the run ended: its outcome, the sentence the services gave, and what was read
 * from it (the {@code receipt} fields of the progress messages, null when nothing was read).
 */
public record Result(Photo photo, Outcome outcome, String detail, JsonNode receipt) {
}
