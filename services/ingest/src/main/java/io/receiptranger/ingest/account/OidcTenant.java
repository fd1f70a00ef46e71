package io.receiptranger.ingest.account;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.oidc.OidcRequestContext;
import io.quarkus.oidc.OidcTenantConfig;
import io.quarkus.oidc.TenantConfigResolver;
import io.quarkus.oidc.runtime.OidcTenantConfig.ApplicationType;
import io.receiptranger.ingest.config.IngestConfig;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The one OIDC tenant, built from {@code RANGER_AUTH_*} rather than {@code quarkus.oidc.*}, so that a
 * local run without an issuer has no tenant at all (quarkus-oidc then disables its default tenant)
 * and a deployment needs only the ranger settings. Hybrid: a request with {@code Authorization:
 * Bearer} is checked as a bearer token (audience = the client id unless set), any other goes through
 * the authorization code flow with an encrypted session cookie.
 */
@ApplicationScoped
public class OidcTenant implements TenantConfigResolver {

    static final String TENANT = "ranger";
    /** Where the page sends a user to sign out (quarkus-oidc's RP-initiated logout). */
    public static final String SIGN_OUT_PATH = "/sign-out";

    private final OidcTenantConfig tenant;

    public OidcTenant(SignIn signIn) {
        this.tenant = signIn.required() && signIn.problem().isEmpty() ? build(signIn.config()) : null;
    }

    @Override
    public Uni<OidcTenantConfig> resolve(RoutingContext context, OidcRequestContext<OidcTenantConfig> request) {
        return Uni.createFrom().item(tenant);
    }

    private static OidcTenantConfig build(IngestConfig.Auth auth) {
        String clientId = auth.clientId().orElseThrow();
        var builder = OidcTenantConfig.authServerUrl(auth.issuer().orElseThrow())
                .tenantId(TENANT)
                .applicationType(ApplicationType.HYBRID)
                .clientId(clientId);
        auth.clientSecret().filter(s -> !s.isBlank()).ifPresent(builder::credentials);
        return builder
                .token().audience(auth.audience().filter(s -> !s.isBlank()).orElse(clientId)).end()
                .authentication()
                    .scopes("email")
                    // One redirect URI to register with the provider (https://<host>/); the page asked for is restored after.
                    .redirectPath("/")
                    .restorePathAfterRedirect(true)
                    .end()
                .logout().path(SIGN_OUT_PATH).postLogoutPath("/").end()
                .build();
    }
}
