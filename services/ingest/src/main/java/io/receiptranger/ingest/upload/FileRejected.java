package io.receiptranger.ingest.upload;

/** One file of a batch cannot be used: its HTTP-like status (413, 415, 422) and a sentence why. */
public class FileRejected extends Exception {

    private final int status;

    public FileRejected(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public FileRejected(int status, String reason, Throwable cause) {
        super(reason, cause, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
