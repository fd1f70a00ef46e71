package io.receiptranger.ingest.account;

import jakarta.enterprise.context.RequestScoped;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling, as the owner id every per-user thing is scoped to (batches, ledger, settings,
 * keys, tokens). Every resource that reads or changes owner data asks this bean and nothing else;
 * nothing here, nor anywhere in the ingest, looks at a client-sent identity header.
 *
 * <p>The identity is verified before a resource runs (see {@link RangerAuthMechanism} and
 * {@link OidcCallers}): locally the one owner {@value #LOCAL}; deployed, the owner claim of the
 * identity provider's token, or the owner of a personal API token. A caller the allow-list does not
 * admit gets {@link AccountRefused} (403) with a sentence, one without identity 401.
 */
@RequestScoped
public class CurrentOwner {

    /** The one owner of a local run without sign-in (CONTRACT §2 default). */
    public static final String LOCAL = "default";

    private final SecurityIdentity identity;

    public CurrentOwner(SecurityIdentity identity) {
        this.identity = identity;
    }

    /** The calling owner's id. */
    public String id() {
        return caller().owner();
    }

    /** Whether the caller may use the operator endpoints (dead letters, ops view); locally always. */
    public boolean operator() {
        return caller().operator();
    }

    /** The verified caller, admitted by the allow-list. */
    public Caller caller() {
        Caller caller = identity == null || identity.isAnonymous() ? null : identity.getAttribute(Caller.ATTRIBUTE);
        if (caller == null) {
            throw new AccountRefused(401, "Sign in first: open the page to sign in, or send Authorization: Bearer"
                    + " with a personal API token.");
        }
        if (!caller.allowed()) {
            throw new AccountRefused(403, caller.refusal());
        }
        return caller;
    }

    SecurityIdentity identity() {
        return identity;
    }
}
