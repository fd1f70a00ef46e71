package io.receiptranger.ingest.rest;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.receiptranger.ingest.account.Accounts;
import io.receiptranger.ingest.account.CurrentOwner;

/** {@code GET /api/me}; {@code GET|POST /api/tokens}, {@code DELETE /api/tokens/{id}}: the caller's own account. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
public class AccountResource {

    private final Accounts accounts;
    private final CurrentOwner owner;

    public AccountResource(Accounts accounts, CurrentOwner owner) {
        this.accounts = accounts;
        this.owner = owner;
    }

    @GET
    @Path("/me")
    public Accounts.Me me() {
        return accounts.me(owner);
    }

    @GET
    @Path("/tokens")
    public List<Accounts.TokenView> tokens() {
        return accounts.tokens(owner);
    }

    /** Body {@code {"name":"laptop script"}} (optional); answers 201 with the token, shown this once. */
    @POST
    @Path("/tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(Map<String, Object> body) {
        Object name = body == null ? null : body.get("name");
        Accounts.NewToken token = accounts.create(owner, name instanceof String s ? s : null);
        return Response.status(201).entity(token).header("Cache-Control", "no-store").build();
    }

    @DELETE
    @Path("/tokens/{tokenId}")
    public Response revoke(@PathParam("tokenId") String tokenId) {
        return accounts.revoke(owner, tokenId) ? Response.noContent().build()
                : Problem.response(404, "You have no token with this id (it may have been revoked already).");
    }
}
