package io.receiptranger.ingest.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.account.AccountRefused;
import io.receiptranger.ingest.upload.UploadProblem;

/**
 * Every error leaves as {@code application/problem+json}. Framework errors (404, 405, 415, a body
 * too large) keep their status with a sentence; anything unexpected is logged and, since it must
 * not become a 5xx for bad input, only a genuine server fault reaches 500.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response upload(UploadProblem e) {
        Response r = Problem.response(e.status(), e.getMessage(), e.rejected());
        return e.retryAfterSeconds().map(s -> Response.fromResponse(r).header("Retry-After", s).build()).orElse(r);
    }

    /** No usable identity (401, with the header a bearer client expects) or one this deployment does not admit (403). */
    @ServerExceptionMapper
    public Response account(AccountRefused e) {
        Response r = Problem.response(e.status(), e.getMessage());
        return e.status() == 401 ? Response.fromResponse(r).header("WWW-Authenticate", "Bearer").build() : r;
    }

    /** The multipart parser's complaint about a body that is malformed or cut off: the sender's fault. */
    @ServerExceptionMapper
    public Response malformed(java.io.IOException e) {
        Log.debugf("Unreadable request body: %s", e.getMessage());
        return Problem.response(400, "The request body is not a complete multipart/form-data upload.");
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        String detail = switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not accept that method.";
            case 406 -> "This address cannot answer in the requested media type.";
            case 413 -> "The request is too large: a batch holds at most 20 files of 10 MiB each.";
            case 415 -> "Send the files as multipart/form-data, in parts named \"files\".";
            default -> status >= 500 ? "Something went wrong on our side." : "The request could not be understood.";
        };
        if (status >= 500) {
            Log.error("Request failed", e);
        }
        return Problem.response(status, detail);
    }
}
