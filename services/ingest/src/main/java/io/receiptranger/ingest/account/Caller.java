package io.receiptranger.ingest.account;

/**
 * Who a request comes from, once verified: the owner id everything is scoped to, whether the
 * deployment lets them in at all (the allow-list), whether they are an operator, and how they proved
 * it ({@code local}, {@code oidc}, {@code token}). Kept on the request's SecurityIdentity.
 *
 * @param owner the owner id; null when the identity provider gave no usable owner claim
 * @param refusal why this caller is not let in, as a sentence for them; null when they are
 */
public record Caller(String owner, boolean operator, String via, String refusal) {

    /** The SecurityIdentity attribute that holds the Caller. */
    public static final String ATTRIBUTE = "io.receiptranger.caller";

    public static Caller local() {
        return new Caller(CurrentOwner.LOCAL, true, "local", null);
    }

    public boolean allowed() {
        return refusal == null && owner != null;
    }
}
