package io.receiptranger.ingest.ops;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.receiptranger.ingest.upload.UploadResult;

/**
 * Uploads and their files, by result and reason, with fixed label values only (never a file name or
 * an owner): {@code ranger_uploads_total{result,status}} per request and
 * {@code ranger_upload_files_total{result,reason}} per file. Requests refused before they reach the
 * upload (body too large at the HTTP layer, rate limit) are in {@code http_server_requests_seconds_count}.
 */
@ApplicationScoped
public class UploadMetrics {

    private final MeterRegistry registry;

    public UploadMetrics(MeterRegistry registry) {
        this.registry = registry;
        // The usual series from the start, so a dashboard shows 0 before the first upload.
        uploads("accepted", 202);
        files("accepted", "none");
        files("duplicate", "same_file_in_batch");
        for (int status : new int[] {413, 415, 422}) {
            files("rejected", reason(status));
        }
    }

    public void accepted(UploadResult result) {
        uploads("accepted", 202).increment();
        long duplicates = result.accepted().stream().filter(a -> a.duplicateOf() != null).count();
        files("accepted", "none").increment(result.accepted().size() - duplicates);
        files("duplicate", "same_file_in_batch").increment(duplicates);
        rejected(result.rejected());
    }

    public void refused(int status, List<UploadResult.Rejected> rejected) {
        uploads("refused", status).increment();
        rejected(rejected);
    }

    private void rejected(List<UploadResult.Rejected> rejected) {
        rejected.forEach(r -> files("rejected", reason(r.status())).increment());
    }

    /** A file's rejection status as a word: 413 too large, 415 not an image we read, 422 unreadable. */
    static String reason(int status) {
        return switch (status) {
            case 413 -> "too_large";
            case 415 -> "unsupported_type";
            case 422 -> "unreadable";
            default -> "other";
        };
    }

    private Counter uploads(String result, int status) {
        return Counter.builder("ranger.uploads").description("Upload requests, by result and HTTP status")
                .tags("result", result, "status", String.valueOf(status)).register(registry);
    }

    private Counter files(String result, String reason) {
        return Counter.builder("ranger.upload.files").description("Uploaded files, by result and reason")
                .tags("result", result, "reason", reason).register(registry);
    }
}
