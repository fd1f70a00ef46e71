package io.receiptranger.ingest.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * The deployment's sign-in rules before any request: an ingest that names an issuer but no allow-list,
 * or no client, refuses to start (the sentence says what to set); without an issuer it is the local,
 * one-owner run.
 */
class SignInRulesTest {

    static SignIn signIn(String issuer, String clientId, List<String> allowed) {
        IngestConfig config = mock(IngestConfig.class);
        IngestConfig.Auth auth = mock(IngestConfig.Auth.class);
        when(config.auth()).thenReturn(auth);
        when(auth.issuer()).thenReturn(Optional.ofNullable(issuer));
        when(auth.clientId()).thenReturn(Optional.ofNullable(clientId));
        when(auth.allowedUsers()).thenReturn(Optional.ofNullable(allowed));
        when(auth.operators()).thenReturn(Optional.empty());
        when(auth.ownerClaim()).thenReturn("email");
        when(auth.groupsClaim()).thenReturn("groups");
        return new SignIn(config);
    }

    @Test
    void anIssuerWithoutAnAllowListAdmitsNobodyAndRefusesToStart() {
        SignIn rules = signIn("https://accounts.example.com", "receipt-ranger", null);
        assertThat(rules.required()).isTrue();
        assertThat(rules.problem()).hasValueSatisfying(p -> assertThat(p).contains("RANGER_AUTH_ALLOWED_USERS is empty"));
        assertThat(signIn("https://accounts.example.com", "receipt-ranger", List.of(" ", ""))).satisfies(
                r -> assertThat(r.problem()).hasValueSatisfying(p -> assertThat(p).contains("RANGER_AUTH_ALLOWED_USERS")));
    }

    @Test
    void anIssuerWithoutAClientRefusesToStart() {
        assertThat(signIn("https://accounts.example.com", null, List.of("@example.com")).problem())
                .hasValueSatisfying(p -> assertThat(p).contains("RANGER_AUTH_CLIENT_ID"));
    }

    @Test
    void anIssuerWithClientAndAllowListStartsAndAdmitsOnlyThoseListed() {
        SignIn rules = signIn("https://accounts.example.com", "receipt-ranger", List.of("@example.com", "carol@other.example"));
        assertThat(rules.problem()).isEmpty();
        assertThat(rules.forOwner("alice@example.com", java.util.Set.of(), "oidc").allowed()).isTrue();
        assertThat(rules.forOwner("carol@other.example", java.util.Set.of(), "oidc").allowed()).isTrue();
        assertThat(rules.forOwner("mallory@example.com.evil", java.util.Set.of(), "oidc").allowed()).isFalse();
    }

    @Test
    void withoutAnIssuerItIsTheLocalRun() {
        SignIn rules = signIn(null, null, null);
        assertThat(rules.required()).isFalse();
        assertThat(rules.problem()).isEmpty();
    }
}
