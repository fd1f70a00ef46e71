package io.receiptranger.ingest.account;

import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.json.JsonArray;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * The deployment's sign-in rules. Without an issuer ({@code RANGER_AUTH_ISSUER}) the ingest is a
 * local, single-user service and everyone calling it is the owner {@code default}; with one, a
 * caller is whoever the issuer's verified token names ({@code RANGER_AUTH_OWNER_CLAIM}, default
 * {@code email}, lower-cased), and only if the allow-list admits them. A deployment with an issuer
 * and an empty allow-list refuses to start: admitting every account of an identity provider (all
 * of Google) is never what an operator meant.
 */
@ApplicationScoped
public class SignIn {

    private final IngestConfig.Auth config;
    private final AllowList allowed;
    private final AllowList operators;

    public SignIn(IngestConfig config) {
        this.config = config.auth();
        this.allowed = new AllowList(this.config.allowedUsers().orElse(List.of()));
        this.operators = new AllowList(this.config.operators().orElse(List.of()));
    }

    /** Whether callers must sign in (an issuer is configured). */
    public boolean required() {
        return config.issuer().filter(s -> !s.isBlank()).isPresent();
    }

    void check(@Observes StartupEvent start) {
        problem().ifPresent(p -> {
            throw new IllegalStateException(p);
        });
        if (required()) {
            Log.infof("Sign-in through %s; owners from the '%s' claim", config.issuer().get(), config.ownerClaim());
        } else {
            Log.info("No sign-in (RANGER_AUTH_ISSUER is not set): one local owner, \"default\"");
        }
    }

    /** What is wrong with the sign-in settings, as a sentence for the operator. */
    java.util.Optional<String> problem() {
        if (!required()) {
            return java.util.Optional.empty();
        }
        if (config.clientId().filter(s -> !s.isBlank()).isEmpty()) {
            return java.util.Optional.of("RANGER_AUTH_ISSUER is set but RANGER_AUTH_CLIENT_ID is not: register this"
                    + " deployment as an OAuth client with the identity provider and set its client id (and secret).");
        }
        if (allowed.isEmpty()) {
            return java.util.Optional.of("RANGER_AUTH_ISSUER is set but RANGER_AUTH_ALLOWED_USERS is empty, so nobody"
                    + " could sign in. Set it to the addresses (alice@example.com), domains (@example.com) or groups"
                    + " (group:finance) that may use this deployment.");
        }
        return java.util.Optional.empty();
    }

    IngestConfig.Auth config() {
        return config;
    }

    /** The caller a verified identity-provider token names, with the allow-list's verdict. */
    Caller fromToken(JsonWebToken token) {
        String owner = owner(token.getClaim(config.ownerClaim()));
        Set<String> groups = strings(token.getClaim(config.groupsClaim()));
        if (owner == null) {
            return new Caller(null, false, "oidc", "The identity provider did not say who you are (no '"
                    + config.ownerClaim() + "' in the token); ask the operator to include it.");
        }
        Object verified = token.getClaim("email_verified");
        if ("email".equals(config.ownerClaim()) && (Boolean.FALSE.equals(verified)
                || (verified instanceof JsonValue v && v.getValueType() == JsonValue.ValueType.FALSE))) {
            return new Caller(owner, false, "oidc", "Your e-mail address " + owner
                    + " is not verified with the identity provider; verify it and sign in again.");
        }
        return forOwner(owner, groups, "oidc");
    }

    /** The caller an owner id stands for (a personal token's owner, say), with the allow-list's verdict. */
    Caller forOwner(String owner, Set<String> groups, String via) {
        if (!allowed.admits(owner, groups)) {
            return new Caller(owner, false, via, "You are signed in as " + owner
                    + ", but this deployment does not admit that account. Ask its operator to add you.");
        }
        return new Caller(owner, operators.admits(owner, groups), via, null);
    }

    /** The caller's identity-provider groups (empty unless their token lists some). */
    java.util.List<String> groups(io.quarkus.security.identity.SecurityIdentity identity) {
        return identity.getPrincipal() instanceof JsonWebToken token
                ? java.util.List.copyOf(strings(token.getClaim(config.groupsClaim()))) : java.util.List.of();
    }

    private static String owner(Object claim) {
        String value = claim instanceof JsonString s ? s.getString() : claim instanceof String s ? s : null;
        if (value == null || value.isBlank() || value.length() > 254) {
            return null;
        }
        return value.strip().toLowerCase(Locale.ROOT);
    }

    private static Set<String> strings(Object claim) {
        Set<String> out = new HashSet<>();
        if (claim instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        } else if (claim instanceof Collection<?> c) {
            c.forEach(v -> out.add(String.valueOf(v instanceof JsonString s ? s.getString() : v)));
        } else if (claim instanceof String s) {
            out.add(s);
        } else if (claim instanceof JsonString s) {
            out.add(s.getString());
        }
        return out;
    }
}
