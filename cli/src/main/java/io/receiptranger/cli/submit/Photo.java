package io.receiptranger.cli.submit;

import java.nio.file.Path;

/**
 * One file to send: where it is, the name the user knows it by (relative to the folder named on the
 * command line) and the hex SHA-256 of its bytes — the same hash the ingest records, so the ledger
 * can say whether this photo was processed before.
 */
public record Photo(Path path, String name, String sha256, long bytes) {
}
