package io.receiptranger.extractor.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ModelRoutesTest {

    private static final String ALICE = "alice@example.com";
    private static final String BASE = "https://llm.example.net/v1/";

    /** The owners' saved keys, as a map. */
    record Saved(Map<String, SettingsRecord> byOwner) implements SavedModelKeys {
        @Override
        public void awaitCaughtUp() {
        }

        @Override
        public Optional<SettingsRecord> forOwner(String owner) {
            return Optional.ofNullable(byOwner.get(owner));
        }
    }

    private static final Saved ALICE_HAS_A_KEY = new Saved(Map.of(ALICE, new SettingsRecord("ModelKeySaved", ALICE, BASE,
            "llama-3.2-vision", Sealing.seal(Sealing.FIXTURE_RING, ALICE, "sk-alice-000000000000"), "sk-…0000", null)));

    private static ModelRoutes routes(boolean deploymentKey, String sharedWith) {
        return new ModelRoutes(ALICE_HAS_A_KEY, KeyRing.parse(Sealing.FIXTURE_RING), deploymentKey, "gpt-5-mini", sharedWith);
    }

    @Test
    void anOwnerWithASavedKeyIsReadWithTheirEndpointModelAndDecryptedKey() {
        ModelRoute route = routes(true, "none").forOwner(ALICE);

        assertThat(route.kind()).isEqualTo(ModelRoute.Kind.OWN);
        assertThat(route.baseUrl()).isEqualTo(BASE);
        assertThat(route.model()).isEqualTo("llama-3.2-vision");
        assertThat(route.apiKey()).isEqualTo("sk-alice-000000000000");
        assertThat(route.toString()).doesNotContain("sk-alice");
    }

    @Test
    void anOwnerWithoutAKeyUsesTheDeploymentsOnlyWhenTheOperatorSharesIt() {
        assertThat(routes(true, "*").forOwner("bob@example.com").kind()).isEqualTo(ModelRoute.Kind.DEPLOYMENT);
        assertThat(routes(true, "@example.com").forOwner("Bob@Example.com").kind()).isEqualTo(ModelRoute.Kind.DEPLOYMENT);
        assertThat(routes(true, "carol@example.org, bob@example.com").forOwner("bob@example.com").kind())
                .isEqualTo(ModelRoute.Kind.DEPLOYMENT);

        ModelRoute refused = routes(true, "none").forOwner("bob@example.com");
        assertThat(refused.kind()).isEqualTo(ModelRoute.Kind.REFUSED);
        assertThat(refused.reason()).contains("add your own OpenAI-compatible key under Settings");
        assertThat(routes(true, "@example.org").forOwner("bob@example.com").kind()).isEqualTo(ModelRoute.Kind.REFUSED);
        // "@example.com" is a domain, not a suffix of any text
        assertThat(routes(true, "@example.com").forOwner("bob@notexample.com").kind()).isEqualTo(ModelRoute.Kind.REFUSED);
    }

    @Test
    void withoutADeploymentKeyOwnersWithoutTheirOwnAreReadOffline() {
        assertThat(routes(false, "none").forOwner("bob@example.com").kind()).isEqualTo(ModelRoute.Kind.OFFLINE);
        assertThat(routes(false, "none").forOwner(ALICE).kind()).isEqualTo(ModelRoute.Kind.OWN);
    }
}
