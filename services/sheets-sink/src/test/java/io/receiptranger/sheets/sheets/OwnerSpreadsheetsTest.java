package io.receiptranger.sheets.sheets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The sink reads the contract's owner-settings fixtures, and an owner's own sheet wins over the operator's seed. */
class OwnerSpreadsheetsTest {

    private static final String ALICE = "alice@example.com";

    private static String fixture(String name) throws Exception {
        return Files.readString(Path.of(System.getProperty("repo.root", "../.."), "contracts", name));
    }

    @Test
    void aConnectedSheetIsAnOwnersTargetUntilItIsDisconnected() throws Exception {
        // Given the seed sends alice to the operator's sheet
        OwnerSpreadsheets connected = new OwnerSpreadsheets(Map.of("bootstrap.servers", "localhost:1"), new ObjectMapper().findAndRegisterModules());
        SpreadsheetTargets targets = new SpreadsheetTargets(Map.of(ALICE, "seed-sheet"), Optional.of("default-sheet"),
                connected::forOwner, true);
        assertThat(targets.forOwner(ALICE)).contains("seed-sheet");

        // When she connects her own (the contract's fixture), and a model-key record passes by
        connected.apply("model-key:" + ALICE, fixture("owner-settings.model-key-saved.json"), 0, 0);
        connected.apply("spreadsheet:" + ALICE, fixture("owner-settings.spreadsheet-connected.json"), 0, 1);

        // Then her receipts go to her sheet, others' to theirs
        assertThat(targets.forOwner(ALICE)).contains("1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abc");
        assertThat(targets.forOwner("bob@example.com")).contains("default-sheet");

        // When she disconnects it, Then the seed applies again
        connected.apply("spreadsheet:" + ALICE, fixture("owner-settings.spreadsheet-disconnected.json"), 0, 2);
        assertThat(targets.forOwner(ALICE)).contains("seed-sheet");
    }

    @Test
    void anOwnersReviewSettingIsReadFromTheFixtureAndFollowsItsLatestFact() throws Exception {
        OwnerSpreadsheets settings = new OwnerSpreadsheets(Map.of("bootstrap.servers", "localhost:1"), new ObjectMapper().findAndRegisterModules());
        assertThat(settings.reviews(ALICE)).isFalse();

        settings.apply("review:" + ALICE, fixture("owner-settings.review-setting-saved.json"), 0, 0);
        settings.apply("review:mallory@example.com", fixture("owner-settings.review-setting-saved.json"), 0, 1);

        assertThat(settings.reviews(ALICE)).isTrue();
        assertThat(settings.reviews("mallory@example.com")).isFalse();
        assertThat(settings.reviews("bob@example.com")).isFalse();
        settings.apply("review:" + ALICE, fixture("owner-settings.review-setting-saved.json").replace("true", "false"), 0, 2);
        assertThat(settings.reviews(ALICE)).isFalse();
    }

    @Test
    void aRecordWhoseOwnerDiffersFromItsKeyOrThatCannotBeReadIsIgnored() throws Exception {
        OwnerSpreadsheets connected = new OwnerSpreadsheets(Map.of("bootstrap.servers", "localhost:1"), new ObjectMapper().findAndRegisterModules());

        connected.apply("spreadsheet:mallory@example.com", fixture("owner-settings.spreadsheet-connected.json"), 0, 0);
        connected.apply("spreadsheet:" + ALICE, "{not json", 0, 1);

        assertThat(connected.forOwner("mallory@example.com")).isEmpty();
        assertThat(connected.forOwner(ALICE)).isEmpty();
        // And with credentials but no spreadsheet at all, owners may still connect one
        assertThat(new SpreadsheetTargets(Map.of(), Optional.empty(), connected::forOwner, true).any()).isTrue();
        assertThat(new SpreadsheetTargets(Map.of(), Optional.empty()).any()).isFalse();
    }
}
