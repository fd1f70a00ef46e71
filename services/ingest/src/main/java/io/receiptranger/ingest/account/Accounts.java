package io.receiptranger.ingest.account;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * What a caller may do with their own account: see who they are signed in as, and create, list and
 * revoke personal API tokens. A token cannot make another token: that takes a signed-in session
 * (or the local run), so a leaked token cannot outlive its revocation by minting successors.
 */
@ApplicationScoped
public class Accounts {

    /** How long creating or revoking a token waits for Kafka's acknowledgement. */
    static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);

    private final PersonalTokens tokens;
    private final SignIn signIn;

    public Accounts(PersonalTokens tokens, SignIn signIn) {
        this.tokens = tokens;
        this.signIn = signIn;
    }

    /** The page's and the CLI's "who am I". */
    public record Me(String owner, boolean operator, String via, boolean signInRequired, String signOut) {
    }

    /** A token as listed: never its secret, never its hash. */
    public record TokenView(String id, String name, java.time.Instant createdAt) {
        static TokenView of(PersonalToken t) {
            return new TokenView(t.tokenId(), t.name(), t.createdAt());
        }
    }

    /** A token just made: the only time its secret is ever shown. */
    public record NewToken(String id, String name, java.time.Instant createdAt, String token) {
    }

    public Me me(CurrentOwner current) {
        Caller caller = current.caller();
        return new Me(caller.owner(), caller.operator(), caller.via(), signIn.required(),
                signIn.required() ? OidcTenant.SIGN_OUT_PATH : null);
    }

    public List<TokenView> tokens(CurrentOwner current) {
        return tokens.list(current.id()).stream().map(TokenView::of).toList();
    }

    public NewToken create(CurrentOwner current, String name) {
        Caller caller = current.caller();
        if ("token".equals(caller.via())) {
            throw new AccountRefused(403, "A personal token cannot create tokens; sign in on the page to make one.");
        }
        String clean = name == null ? "" : name.replaceAll("[\\p{Cntrl}\\p{Cf}]", "").strip();
        if (clean.length() > 60) {
            throw new AccountRefused(400, "A token's name is at most 60 characters; this one has " + clean.length() + ".");
        }
        PersonalTokens.Created made = tokens.create(caller.owner(), clean.isEmpty() ? "token" : clean,
                signIn.groups(current.identity()), ACK_TIMEOUT);
        return new NewToken(made.record().tokenId(), made.record().name(), made.record().createdAt(), made.token());
    }

    /** False when the caller has no such token (another owner's id answers the same). */
    public boolean revoke(CurrentOwner current, String tokenId) {
        return tokenId != null && tokens.revoke(current.id(), tokenId, ACK_TIMEOUT);
    }
}
