package io.receiptranger.cli.ingest;

/**
 * The ingest cannot be used: not reachable, the token refused, or an answer the CLI cannot read.
 * The message is the sentence the user sees; {@link #exitCode()} is what the command ends with.
 */
public class IngestException extends RuntimeException {

    /** Could not talk to the ingest (down, refused the token, gave no usable answer). */
    public static final int UNREACHABLE = 3;
    /** The request itself was wrong (a filter the ingest refused): like a usage error. */
    public static final int BAD_REQUEST = 2;

    private final int exitCode;
    private final int status;

    public IngestException(String message, int exitCode, int status) {
        super(message, null, false, false);
        this.exitCode = exitCode;
        this.status = status;
    }

    public int exitCode() {
        return exitCode;
    }

    /** The HTTP status behind it, 0 when there was no answer. */
    public int status() {
        return status;
    }
}
