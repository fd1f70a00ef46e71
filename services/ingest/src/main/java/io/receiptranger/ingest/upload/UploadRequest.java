package io.receiptranger.ingest.upload;

import java.nio.file.Path;
import java.util.List;

/** An upload as the service sees it: whose it is, the spooled files and the optional fields, nothing HTTP. */
public record UploadRequest(String owner, List<Part> files, String exclusionCriteria, String timeZone, String source, boolean review) {

    /** An upload whose receipts are written without review. */
    public UploadRequest(String owner, List<Part> files, String exclusionCriteria, String timeZone, String source) {
        this(owner, files, exclusionCriteria, timeZone, source, false);
    }

    /** One uploaded file: the name the sender gave, where Quarkus spooled it, its size. */
    public record Part(String fileName, Path path, long size) {
    }
}
