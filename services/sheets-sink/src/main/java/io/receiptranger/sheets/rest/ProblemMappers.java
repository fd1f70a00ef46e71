package io.receiptranger.sheets.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Errors as {@code application/problem+json} with a sentence a person understands; bad input is never a 5xx. */
public class ProblemMappers {

    /** RFC 9457 problem details. */
    public record Problem(String type, String title, int status, String detail) {
    }

    /** An unknown receipt, or another owner's: the same answer. */
    @ServerExceptionMapper
    public Response notFound(jakarta.ws.rs.NotFoundException e) {
        return Response.status(404).type("application/problem+json")
                .entity(new Problem("about:blank", "Not found", 404, e.getMessage() == null || e.getMessage().startsWith("HTTP 404")
                        ? "There is nothing here." : e.getMessage())).build();
    }

    @ServerExceptionMapper
    public Response badFilter(ReceiptFilter.BadFilterException e) {
        return Response.status(400).type("application/problem+json")
                .entity(new Problem("about:blank", "Bad request", 400, e.getMessage())).build();
    }
}
