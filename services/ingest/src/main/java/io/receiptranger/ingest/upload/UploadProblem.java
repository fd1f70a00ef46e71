package io.receiptranger.ingest.upload;

import java.util.List;

/** The whole upload is refused: the status, a sentence for a person, and each file's reason if any. */
public class UploadProblem extends RuntimeException {

    private final int status;
    private final List<UploadResult.Rejected> rejected;

    public UploadProblem(int status, String detail) {
        this(status, detail, List.of());
    }

    public UploadProblem(int status, String detail, List<UploadResult.Rejected> rejected) {
        super(detail, null, false, false);
        this.status = status;
        this.rejected = rejected;
    }

    public int status() {
        return status;
    }

    public List<UploadResult.Rejected> rejected() {
        return rejected;
    }
}
