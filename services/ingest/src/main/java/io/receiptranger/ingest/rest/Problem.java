package io.receiptranger.ingest.rest;

import java.util.List;

import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.receiptranger.ingest.upload.UploadResult;

/** An RFC 9457 problem body: what went wrong, in a sentence a person understands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, List<UploadResult.Rejected> rejected) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Response response(int status, String detail) {
        return response(status, detail, null);
    }

    public static Response response(int status, String detail, List<UploadResult.Rejected> rejected) {
        Response.StatusType type = Response.Status.fromStatusCode(status);
        String title = type != null ? type.getReasonPhrase() : (status == 429 ? "Too Many Requests" : "Error");
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(new Problem("about:blank", title, status, detail,
                        rejected == null || rejected.isEmpty() ? null : rejected))
                .build();
    }
}
