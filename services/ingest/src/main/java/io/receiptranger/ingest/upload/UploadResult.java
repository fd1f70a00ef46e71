package io.receiptranger.ingest.upload;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The 202 body of {@code POST /api/batches} (CONTRACT §3). */
public record UploadResult(String batchId, List<Accepted> accepted, List<Rejected> rejected, String progress) {

    /** An accepted file; {@code duplicateOf} names the earlier identical file of the batch, else null. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Accepted(String receiptId, String fileName, String duplicateOf) {
    }

    /** A rejected file: 413, 415 or 422, and why. */
    public record Rejected(String fileName, int status, String error) {
    }
}
