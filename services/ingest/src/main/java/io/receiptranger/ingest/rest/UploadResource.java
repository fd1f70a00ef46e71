package io.receiptranger.ingest.rest;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.ops.UploadMetrics;
import io.receiptranger.ingest.upload.UploadProblem;
import io.receiptranger.ingest.upload.UploadRequest;
import io.receiptranger.ingest.upload.UploadResult;
import io.receiptranger.ingest.upload.UploadService;

/** {@code POST /api/batches}: a thin mapping of the multipart request onto {@link UploadService}. */
@Path("/api/batches")
public class UploadResource {

    /** How {@code ./ranger submit} introduces itself ({@code User-Agent: receipt-ranger-cli/<version>}). */
    static final String CLI_AGENT = "receipt-ranger-cli/";

    private final UploadService uploads;
    private final CurrentOwner owner;
    private final UploadMetrics metrics;

    public UploadResource(UploadService uploads, CurrentOwner owner, UploadMetrics metrics) {
        this.uploads = uploads;
        this.owner = owner;
        this.metrics = metrics;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(@RestForm("files") List<FileUpload> files,
            @RestForm("exclusionCriteria") String exclusionCriteria,
            @RestForm("timeZone") String timeZone,
            @RestForm("review") String review,
            HttpHeaders headers) {
        List<UploadRequest.Part> parts = files == null ? List.of()
                : files.stream().map(f -> new UploadRequest.Part(f.fileName(), f.uploadedFile(), f.size())).toList();
        // A browser always sends Origin on a POST; scripts usually do not; ./ranger submit names itself.
        String agent = headers.getHeaderString("User-Agent");
        String source = headers.getHeaderString("Origin") != null ? "web"
                : agent != null && agent.startsWith(CLI_AGENT) ? "cli" : "api";
        UploadResult result;
        try {
            result = uploads.upload(new UploadRequest(owner.id(), parts, exclusionCriteria, timeZone, source,
                    // Review before writing: held at REVIEW until accepted (CONTRACT §2).
                    "true".equalsIgnoreCase(review == null ? "" : review.trim())));
        } catch (UploadProblem problem) {
            metrics.refused(problem.status(), problem.rejected());
            throw problem;
        }
        metrics.accepted(result);
        return Response.accepted(result).build();
    }
}
