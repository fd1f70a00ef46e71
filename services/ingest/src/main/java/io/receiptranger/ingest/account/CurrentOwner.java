package io.receiptranger.ingest.account;

import jakarta.enterprise.context.RequestScoped;

/**
 * Who is calling, as the owner id every per-user thing is scoped to (batches, ledger, settings,
 * keys, tokens). Every resource that reads or changes owner data asks this bean and nothing else;
 * it never looks at a client-sent header itself.
 *
 * <p>Today: the local single user ({@value #LOCAL}). The accounts work replaces the body with the
 * verified identity (OIDC code flow, bearer tokens, personal API tokens).
 */
@RequestScoped
public class CurrentOwner {

    /** The one owner of a local run without sign-in (CONTRACT §2 default). */
    public static final String LOCAL = "default";

    /** The calling owner's id. */
    public String id() {
        return LOCAL;
    }

    /** Whether the caller may use the operator endpoints (dead letters, ops view); locally always. */
    public boolean operator() {
        return true;
    }
}
