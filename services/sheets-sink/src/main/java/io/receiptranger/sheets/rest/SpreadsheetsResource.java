package io.receiptranger.sheets.rest;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.sheets.SheetWriter;
import io.receiptranger.sheets.sheets.SheetsConnection;
import io.receiptranger.sheets.sheets.SheetsException;

/**
 * The sink's internal API for "bring your own sheet" (called by the ingest, never from outside the
 * cluster): can the sink open this spreadsheet, and which service account must a user share it with.
 * The owner comes from the ingest's verified caller; the answer never says anything of another owner.
 */
@Path("/internal/spreadsheets")
@Produces(MediaType.APPLICATION_JSON)
public class SpreadsheetsResource {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{20,128}");

    /** What the ingest asks. */
    public record CheckRequest(String owner, String spreadsheetId) {
    }

    /** The sheet opened. */
    public record Opened(String spreadsheetId, String title, String serviceAccount) {
    }

    private final SheetsConnection connection;

    public SpreadsheetsResource(SheetsConnection connection) {
        this.connection = connection;
    }

    @GET
    @Path("/service-account")
    public Response serviceAccount() {
        return connection.writer().map(w -> Response.ok(Map.of("email", w.client().serviceAccountEmail())).build())
                .orElseGet(() -> problem(404, "This deployment has no Google service account."));
    }

    @POST
    @Path("/check")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response check(CheckRequest request) {
        if (request == null || request.spreadsheetId() == null || !ID.matcher(request.spreadsheetId()).matches()) {
            return problem(400, "That is not a spreadsheet id (20-128 letters, digits, - and _).");
        }
        Optional<SheetWriter> writer = connection.writer();
        if (writer.isEmpty()) {
            return problem(409, "This deployment cannot write to Google Sheets (no usable service account): ask the"
                    + " operator to set GOOGLE_SHEETS_CREDENTIALS. Your receipts stay in the ledger meanwhile.");
        }
        String email = writer.get().client().serviceAccountEmail();
        String id = request.spreadsheetId();
        try {
            String title = writer.get().client().title(id);
            Log.infof("owner %s: spreadsheet %s opened (%s)", request.owner(), id, email);
            return Response.ok(new Opened(id, title, email)).build();
        } catch (SheetsException e) {
            Log.infof("owner %s: spreadsheet %s not opened: %s", request.owner(), id, e.getMessage());
            return switch (e.kind()) {
                case PERMISSION -> problem(422, e.status() == 404
                        ? "There is no spreadsheet with this address that Receipt Ranger can see. Check the address, and"
                                + " share the spreadsheet with " + email + " as Editor, then connect it again."
                        : "Receipt Ranger cannot open this spreadsheet: share it with " + email + " as Editor"
                                + " (Share, add " + email + ", Editor), then connect it again.");
                case TRANSIENT -> problem(503, "Google Sheets did not answer just now. Try again shortly.");
                case CONFIGURATION -> problem(409, "This deployment cannot sign in to Google Sheets: ask the operator"
                        + " to check GOOGLE_SHEETS_CREDENTIALS.");
                case INVALID -> problem(422, "Google Sheets refused to open this spreadsheet (HTTP " + e.status()
                        + "). Check the address.");
            };
        }
    }

    private static Response problem(int status, String detail) {
        return Response.status(status).type("application/problem+json")
                .entity(new ProblemMappers.Problem("about:blank", status == 404 ? "Not Found" : "Problem", status, detail))
                .build();
    }
}
