package io.receiptranger.ingest.account;

import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * The ingest's own authentication, tried before quarkus-oidc's: a personal API token
 * ({@code Authorization: Bearer rr_…}) is looked up by its hash; a local run (no issuer) makes every
 * caller the owner {@code default}; anything else is left to quarkus-oidc (a bearer JWT, the page's
 * session cookie). No header a client sends ({@code X-Forwarded-User}, {@code X-Auth-Request-Email},
 * …) is ever read.
 *
 * <p>When nobody could be authenticated, an API or WebSocket request gets {@code 401} with a
 * problem+json sentence (never a redirect a script cannot follow), while the page goes on to
 * quarkus-oidc's redirect to the identity provider.
 */
@ApplicationScoped
public class RangerAuthMechanism implements HttpAuthenticationMechanism {

    /** Above quarkus-oidc's (1001), so an {@code rr_} token is never mistaken for a JWT. */
    static final int PRIORITY = 2000;

    private final SignIn signIn;
    private final PersonalTokens tokens;

    public RangerAuthMechanism(SignIn signIn, PersonalTokens tokens) {
        this.signIn = signIn;
        this.tokens = tokens;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        String token = bearer(context);
        if (token != null && token.startsWith(PersonalTokens.PREFIX)) {
            return tokens.find(token)
                    .map(t -> Uni.createFrom().item(identity(signIn.required()
                            ? signIn.forOwner(t.owner(), Set.copyOf(t.groups()), "token")
                            : new Caller(t.owner(), true, "token", null))))
                    .orElseGet(() -> Uni.createFrom().failure(new AuthenticationFailedException(
                            "unknown or revoked personal token")));
        }
        if (!signIn.required()) {
            return Uni.createFrom().item(identity(Caller.local()));
        }
        return Uni.createFrom().nullItem();
    }

    static SecurityIdentity identity(Caller caller) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(caller.owner() == null ? "unknown" : caller.owner()))
                .addAttribute(Caller.ATTRIBUTE, caller)
                .build();
    }

    @Override
    public Uni<Boolean> sendChallenge(RoutingContext context) {
        if (!api(context) && signIn.required() && bearer(context) == null) {
            return Uni.createFrom().item(false);
        }
        String detail = bearer(context) != null
                ? "The token was not accepted: it is unknown, revoked, expired, or not meant for this service. Sign in again or create a new token."
                : "Sign in first: open the page to sign in, or send Authorization: Bearer with a personal API token.";
        context.response().setStatusCode(401)
                .putHeader("WWW-Authenticate", "Bearer")
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                .end("{\"type\":\"about:blank\",\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"" + detail + "\"}");
        return Uni.createFrom().item(true);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        if (!api(context) && signIn.required() && bearer(context) == null) {
            return Uni.createFrom().nullItem();
        }
        return Uni.createFrom().item(new ChallengeData(401, "WWW-Authenticate", "Bearer"));
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of();
    }

    @Override
    public int getPriority() {
        return PRIORITY;
    }

    /** The API and the progress sockets answer 401; only the page is redirected to sign in. */
    private static boolean api(RoutingContext context) {
        String path = context.normalizedPath();
        return path.startsWith("/api/") || path.equals("/api") || path.startsWith("/ws/");
    }

    private static String bearer(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return header.substring(7).strip();
    }
}
