package io.receiptranger.ingest.rest;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.receiptranger.ingest.history.CorrectionRules;
import io.receiptranger.ingest.history.Corrections;
import io.receiptranger.ingest.history.SinkLedger;

/** The answers of the receipt history and its changes, as {@code application/problem+json} sentences. */
public class HistoryProblems {

    @ServerExceptionMapper
    public Response badValue(CorrectionRules.Refused e) {
        return Problem.response(400, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unknown(Corrections.Unknown e) {
        return Problem.response(404, e.getMessage());
    }

    @ServerExceptionMapper
    public Response conflict(Corrections.Conflict e) {
        return Problem.response(409, e.getMessage());
    }

    @ServerExceptionMapper
    public Response unavailable(SinkLedger.Unavailable e) {
        return Problem.response(503, e.getMessage());
    }
}
