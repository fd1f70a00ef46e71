package io.receiptranger.ingest.account;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.smallrye.mutiny.Uni;

/**
 * Turns an identity quarkus-oidc verified (the page's session from the code flow, or an API bearer
 * token: signature, issuer, expiry and audience already checked) into a {@link Caller}. Identities
 * made by {@link RangerAuthMechanism} carry their Caller already.
 */
@ApplicationScoped
public class OidcCallers implements SecurityIdentityAugmentor {

    private final SignIn signIn;

    public OidcCallers(SignIn signIn) {
        this.signIn = signIn;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.isAnonymous() || identity.getAttribute(Caller.ATTRIBUTE) != null
                || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return Uni.createFrom().item(identity);
        }
        Caller caller = signIn.fromToken(token);
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder(identity).addAttribute(Caller.ATTRIBUTE, caller).build());
    }
}
