package io.receiptranger.ingest.rest;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.settings.SettingsRefused;
import io.receiptranger.ingest.settings.SettingsService;
import io.receiptranger.ingest.web.Origins;

/**
 * {@code /api/settings}: the caller's own model key, spreadsheet and review setting (CONTRACT §3). Always the
 * {@link CurrentOwner}'s: there is no owner in the path, so nobody can name another's settings.
 * A browser's change must come from this site's own page (Origin), like an upload.
 */
@Path("/api/settings")
@Produces(MediaType.APPLICATION_JSON)
public class SettingsResource {

    private final SettingsService settings;
    private final CurrentOwner owner;
    private final Origins origins;

    public SettingsResource(SettingsService settings, CurrentOwner owner, Origins origins) {
        this.settings = settings;
        this.owner = owner;
        this.origins = origins;
    }

    @GET
    public SettingsService.Settings get() {
        return settings.get(owner.id());
    }

    @PUT
    @Path("/model-key")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response saveModelKey(SettingsService.ModelKeyRequest request, HttpHeaders headers) {
        return change(headers, () -> Response.ok(settings.saveModelKey(owner.id(), request)).build());
    }

    @DELETE
    @Path("/model-key")
    public Response deleteModelKey(HttpHeaders headers) {
        return change(headers, () -> {
            settings.deleteModelKey(owner.id());
            return Response.noContent().build();
        });
    }

    /** Review before writing, on or off: answers {@code {"review": …}} as saved. */
    @PUT
    @Path("/review")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response saveReview(SettingsService.ReviewRequest request, HttpHeaders headers) {
        return change(headers, () -> Response.ok(java.util.Map.of("review", settings.saveReview(owner.id(), request))).build());
    }

    @PUT
    @Path("/spreadsheet")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response connect(SettingsService.SpreadsheetRequest request, HttpHeaders headers) {
        return change(headers, () -> Response.ok(settings.connect(owner.id(), request)).build());
    }

    @DELETE
    @Path("/spreadsheet")
    public Response disconnect(HttpHeaders headers) {
        return change(headers, () -> {
            settings.disconnect(owner.id());
            return Response.noContent().build();
        });
    }

    private Response change(HttpHeaders headers, java.util.function.Supplier<Response> action) {
        String origin = headers.getHeaderString("Origin");
        if (origin != null && !origins.allowed(origin, headers.getHeaderString("Host"))) {
            return Problem.response(403, "Settings can be changed only from this site's own page (the Origin is not allowed).");
        }
        try {
            return action.get();
        } catch (SettingsRefused e) {
            return Problem.response(e.status(), e.getMessage());
        }
    }
}
