package io.receiptranger.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The ingest writes owner-settings exactly as contracts/ shows it, reads it back, and its ciphertext format is the fixture's. */
class SettingsFixturesTest {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    static final String OWNER = "alice@example.com";

    static JsonNode fixture(String name) throws IOException {
        return JSON.readTree(Files.readString(Path.of(System.getProperty("repo.root"), "contracts", name)));
    }

    @Test
    void modelKeySavedSerialisesLikeTheFixture() throws IOException {
        SettingsEvent saved = new SettingsEvent.ModelKeySaved(OWNER, "https://api.openai.com/v1/", "gpt-5-mini",
                new SettingsEvent.EncryptedKey("A256GCM", "fixture-2026-12", "yMO+ubSvqqWgm5aR",
                        "zHnkzvB6P/wDW4Mok/NcbQrjMk4nWW3kP7Tp7puBMrhW6vRn64sRNOvpsJnVfMun"),
                "sk-…cdef", Instant.parse("2026-12-01T09:00:00Z"));

        assertThat(JSON.readTree(JSON.writeValueAsString(saved))).isEqualTo(fixture("owner-settings.model-key-saved.json"));
        assertThat(saved.key()).isEqualTo("model-key:alice@example.com");
    }

    @Test
    void theOtherFactsSerialiseLikeTheirFixtures() throws IOException {
        SettingsEvent deleted = new SettingsEvent.ModelKeyDeleted(OWNER, Instant.parse("2026-12-01T09:30:00Z"));
        SettingsEvent connected = new SettingsEvent.SpreadsheetConnected(OWNER,
                "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc", "Alice's receipts", Instant.parse("2026-12-01T09:05:00Z"));
        SettingsEvent disconnected = new SettingsEvent.SpreadsheetDisconnected(OWNER, Instant.parse("2026-12-01T09:40:00Z"));

        assertThat(JSON.readTree(JSON.writeValueAsString(deleted))).isEqualTo(fixture("owner-settings.model-key-deleted.json"));
        assertThat(JSON.readTree(JSON.writeValueAsString(connected)))
                .isEqualTo(fixture("owner-settings.spreadsheet-connected.json"));
        assertThat(JSON.readTree(JSON.writeValueAsString(disconnected)))
                .isEqualTo(fixture("owner-settings.spreadsheet-disconnected.json"));
        assertThat(connected.key()).isEqualTo("spreadsheet:alice@example.com");
        SettingsEvent review = new SettingsEvent.ReviewSettingSaved(OWNER, true, Instant.parse("2026-12-01T09:10:00Z"));
        assertThat(JSON.readTree(JSON.writeValueAsString(review))).isEqualTo(fixture("owner-settings.review-setting-saved.json"));
        assertThat(review.key()).isEqualTo("review:alice@example.com");
        assertThat(JSON.treeToValue(fixture("owner-settings.review-setting-saved.json"), SettingsEvent.class)).isEqualTo(review);
        assertThat(disconnected.key()).isEqualTo(connected.key());
    }

    @Test
    void everyFixtureReadsIntoItsFact() throws IOException {
        assertThat(JSON.treeToValue(fixture("owner-settings.model-key-saved.json"), SettingsEvent.class))
                .isInstanceOf(SettingsEvent.ModelKeySaved.class);
        assertThat(JSON.treeToValue(fixture("owner-settings.spreadsheet-connected.json"), SettingsEvent.class))
                .isEqualTo(new SettingsEvent.SpreadsheetConnected(OWNER, "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc",
                        "Alice's receipts", Instant.parse("2026-12-01T09:05:00Z")));
    }

    @Test
    void theRingEncryptsSoThatTheFixturesDecryptionOpensIt() throws Exception {
        KeyRing ring = KeyRing.parse("k-new:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=," + SettingsConfig.RING);

        SettingsEvent.EncryptedKey sealed = ring.encrypt(OWNER, "sk-live-abcdefghijklmnop");
        SettingsEvent.EncryptedKey again = ring.encrypt(OWNER, "sk-live-abcdefghijklmnop");

        assertThat(sealed.kid()).isEqualTo("k-new");
        assertThat(sealed.alg()).isEqualTo("A256GCM");
        assertThat(sealed.ciphertext()).doesNotContain("sk-live");
        assertThat(again.nonce()).isNotEqualTo(sealed.nonce());
        assertThat(Unsealing.open("k-new:MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=", OWNER, sealed))
                .isEqualTo("sk-live-abcdefghijklmnop");
        // And the fixture's own ciphertext opens with the fixture ring, as the extractor does it
        SettingsEvent.ModelKeySaved fixture = (SettingsEvent.ModelKeySaved) JSON
                .treeToValue(fixture("owner-settings.model-key-saved.json"), SettingsEvent.class);
        assertThat(Unsealing.open(SettingsConfig.RING, OWNER, fixture.encryptedKey()))
                .isEqualTo("sk-test-fixture-0123456789abcdef");
    }

    @Test
    void spreadsheetAddressesAndIdsAreRecognisedAndOtherTextIsNot() {
        String id = "1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc";
        assertThat(SpreadsheetIds.parse("https://docs.google.com/spreadsheets/d/" + id + "/edit#gid=0")).contains(id);
        assertThat(SpreadsheetIds.parse("https://docs.google.com/spreadsheets/u/1/d/" + id + "/edit?usp=sharing")).contains(id);
        assertThat(SpreadsheetIds.parse("  " + id + "\n")).contains(id);
        assertThat(SpreadsheetIds.parse("https://example.com/spreadsheets/d/" + id)).isEmpty();
        assertThat(SpreadsheetIds.parse("http://docs.google.com/spreadsheets/d/" + id)).isEmpty();
        assertThat(SpreadsheetIds.parse("https://docs.google.com/document/d/" + id + "/edit")).isEmpty();
        assertThat(SpreadsheetIds.parse("my receipts")).isEmpty();
        assertThat(SpreadsheetIds.parse("")).isEmpty();
    }

    @Test
    void aKeyIsShownMasked() {
        assertThat(KeyHint.of("sk-proj-abcdefghijklmnopqrstuvwxyz1234")).isEqualTo("sk-…1234");
        assertThat(KeyHint.of("ollama12")).isEqualTo("…12");
        assertThat(KeyHint.of("abc")).isEqualTo("…");
    }
}
