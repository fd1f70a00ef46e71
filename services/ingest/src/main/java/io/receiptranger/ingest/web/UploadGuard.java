package io.receiptranger.ingest.web;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.rest.Problem;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Checks an upload before a byte of its body is read: the origin (CSRF), the client's rate limit
 * (429 with Retry-After), and a declared {@code Content-Length} above the body limit (413). Each
 * refusal is problem+json, like every other error of the API. It runs on every request and decides
 * by the path as the REST layer resolves it ({@link UploadRoute}: matrix parameters, encodings,
 * trailing slashes), since a Vert.x route on the raw path is skipped by {@code /api/batches;x=1}.
 * The bytes a request really carried are added to the client's budget when it ends, so a chunked
 * upload (no {@code Content-Length}) counts as much as a declared one.
 */
@ApplicationScoped
public class UploadGuard {

    private final Origins origins;
    private final RateLimiter limiter;
    private final ClientAddress clients;
    private final long maxBody;
    private final ObjectMapper json;

    public UploadGuard(Origins origins, RateLimiter limiter, ObjectMapper json, IngestConfig config,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBody) {
        this.origins = origins;
        this.limiter = limiter;
        this.json = json;
        this.clients = new ClientAddress(config.upload().trustedProxies());
        this.maxBody = maxBody.asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(-100).handler(this::check);
    }

    void check(RoutingContext ctx) {
        if (ctx.request().method() != HttpMethod.POST || !UploadRoute.matches(ctx.request().path())) {
            ctx.next();
            return;
        }
        if (!origins.allowed(ctx.request().getHeader("Origin"), ctx.request().getHeader("Host"))) {
            refuse(ctx, 403, "Uploads are accepted only from this site's own page (the Origin is not allowed).", null);
            return;
        }
        long length = contentLength(ctx);
        if (length > maxBody) {
            refuse(ctx, 413, "The request is " + (length / 1048576) + " MiB; the limit is " + (maxBody / 1048576)
                    + " MiB (20 files of at most 10 MiB each).", null);
            return;
        }
        String client = client(ctx);
        long wait = limiter.acquire(client, length, System.currentTimeMillis());
        if (wait > 0) {
            refuse(ctx, 429, "Too many uploads from this address; try again in " + wait + " s.", wait);
            return;
        }
        long declared = Math.max(0, length);
        ctx.addEndHandler(done -> limiter.addBytes(client, ctx.request().bytesRead() - declared, System.currentTimeMillis()));
        ctx.next();
    }

    /** The socket's peer (never Quarkus's forwarded address, which trusts the leftmost entry), or behind trusted proxies the client they saw. */
    private String client(RoutingContext ctx) {
        var peer = ctx.request().connection() == null ? null : ctx.request().connection().remoteAddress();
        return clients.of(peer == null ? null : peer.hostAddress(), ctx.request().headers().getAll("X-Forwarded-For"));
    }

    private static long contentLength(RoutingContext ctx) {
        String header = ctx.request().getHeader("Content-Length");
        try {
            return header == null ? -1 : Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void refuse(RoutingContext ctx, int status, String detail, Long retryAfter) {
        String body;
        try {
            body = json.writeValueAsString(new Problem("about:blank", status == 429 ? "Too Many Requests"
                    : status == 413 ? "Content Too Large" : "Forbidden", status, detail, null));
        } catch (JsonProcessingException e) {
            body = "{\"status\":" + status + "}";
        }
        var response = ctx.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE);
        if (retryAfter != null) {
            response.putHeader("Retry-After", String.valueOf(retryAfter));
        }
        // The body was not read: close the connection rather than drain an unwanted upload.
        response.putHeader("Connection", "close").end(body);
    }
}
