package io.receiptranger.extractor.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.Json;

class KeyRingTest {

    private static final String OWNER = "alice@example.com";
    private static final String NEW_RING_ENTRY = "k2:" + "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

    static SettingsRecord fixture() throws Exception {
        Path file = Path.of(System.getProperty("repo.root", "../.."), "contracts", "owner-settings.model-key-saved.json");
        return Json.MAPPER.readValue(Files.readString(file), SettingsRecord.class);
    }

    @Test
    void theContractFixtureDecryptsToItsKeyWithTheFixtureRing() throws Exception {
        SettingsRecord saved = fixture();

        String clear = KeyRing.parse(Sealing.FIXTURE_RING).decrypt(saved.owner(), saved.encryptedKey());

        assertThat(clear).isEqualTo(Sealing.FIXTURE_KEY);
        assertThat(saved.baseUrl()).isEqualTo("https://api.openai.com/v1/");
        assertThat(saved.model()).isEqualTo("gpt-5-mini");
    }

    @Test
    void aCiphertextCopiedOntoAnotherOwnerDoesNotDecrypt() throws Exception {
        SettingsRecord saved = fixture();

        assertThatThrownBy(() -> KeyRing.parse(Sealing.FIXTURE_RING).decrypt("mallory@example.com", saved.encryptedKey()))
                .isInstanceOf(UndecryptableKeyException.class).hasMessageContaining("belongs to another owner");
    }

    @Test
    void afterRotationTheOldAndTheNewKeyBothDecrypt() throws Exception {
        // Given a ring rotated to k2, with the fixture's key kept second
        KeyRing rotated = KeyRing.parse(NEW_RING_ENTRY + "," + Sealing.FIXTURE_RING);
        EncryptedKey underNew = Sealing.seal(NEW_RING_ENTRY, OWNER, "sk-new-key-000000000000");

        // Then both ciphertexts decrypt
        assertThat(rotated.decrypt(OWNER, fixture().encryptedKey())).isEqualTo(Sealing.FIXTURE_KEY);
        assertThat(rotated.decrypt(OWNER, underNew)).isEqualTo("sk-new-key-000000000000");
    }

    @Test
    void aKidMissingFromTheRingIsNamedWithoutAnyKeyMaterial() throws Exception {
        assertThatThrownBy(() -> KeyRing.parse(NEW_RING_ENTRY).decrypt(OWNER, fixture().encryptedKey()))
                .hasMessageContaining("\"fixture-2026-12\"").hasMessageContaining("RANGER_KEY_ENCRYPTION_KEYS");
        assertThatThrownBy(() -> KeyRing.none().decrypt(OWNER, fixture().encryptedKey()))
                .isInstanceOf(UndecryptableKeyException.class);
    }

    @Test
    void aTamperedCiphertextIsRefused() throws Exception {
        EncryptedKey good = fixture().encryptedKey();
        char first = good.ciphertext().charAt(0);
        EncryptedKey tampered = new EncryptedKey(good.alg(), good.kid(), good.nonce(),
                (first == 'A' ? 'B' : 'A') + good.ciphertext().substring(1));

        assertThatThrownBy(() -> KeyRing.parse(Sealing.FIXTURE_RING).decrypt(OWNER, tampered))
                .isInstanceOf(UndecryptableKeyException.class);
    }

    @Test
    void aMalformedSettingIsRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> KeyRing.parse("k1:c2hvcnQ=")).hasMessageContaining("5 bytes; AES-256 needs 32")
                .hasMessageNotContaining("c2hvcnQ=");
        assertThatThrownBy(() -> KeyRing.parse("no-colon-here")).hasMessageContaining("entry 1 is not kid:base64");
        assertThatThrownBy(() -> KeyRing.parse("k1:%%%")).hasMessageContaining("k1 is not valid base64")
                .hasMessageNotContaining("%%%");
    }
}
