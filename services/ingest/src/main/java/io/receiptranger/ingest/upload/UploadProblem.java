package io.receiptranger.ingest.upload;

import java.util.List;

/** The whole upload is refused: the status, a sentence for a person, and each file's reason if any. */
public class UploadProblem extends RuntimeException {

    private final int status;
    private final List<UploadResult.Rejected> rejected;
    private final Long retryAfterSeconds;

    public UploadProblem(int status, String detail) {
        this(status, detail, List.of());
    }

    public UploadProblem(int status, String detail, List<UploadResult.Rejected> rejected) {
        this(status, detail, rejected, null);
    }

    /** A refusal that passes with time (429): when to try again, for the {@code Retry-After} header. */
    public static UploadProblem later(String detail, long retryAfterSeconds) {
        return new UploadProblem(429, detail, List.of(), retryAfterSeconds);
    }

    private UploadProblem(int status, String detail, List<UploadResult.Rejected> rejected, Long retryAfterSeconds) {
        super(detail, null, false, false);
        this.status = status;
        this.rejected = rejected;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public java.util.Optional<Long> retryAfterSeconds() {
        return java.util.Optional.ofNullable(retryAfterSeconds);
    }

    public int status() {
        return status;
    }

    public List<UploadResult.Rejected> rejected() {
        return rejected;
    }
}
