package io.receiptranger.ingest.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** What the replica that wrote a setting shows while the topic's view lags behind it. */
class SettingsViewTest {

    static final String ALICE = "alice@example.com";
    static final Instant T1 = Instant.parse("2026-12-01T09:00:00Z");
    static final Instant T2 = T1.plusSeconds(2);

    final SettingsTopic settings = new SettingsTopic(null, null, null);

    @Test
    void aSpreadsheetDisconnectedRightAfterItWasConnectedStaysDisconnectedWhileTheViewCatchesUp() {
        // Given Alice connects a sheet and disconnects it at once, on this replica
        settings.published(new SettingsEvent.SpreadsheetConnected(ALICE, "sheet-1", "Alice 2026", T1));
        settings.published(new SettingsEvent.SpreadsheetDisconnected(ALICE, T2));

        // When the view delivers the connection only now
        settings.viewed(new SettingsEvent.SpreadsheetConnected(ALICE, "sheet-1", "Alice 2026", T1));

        // Then the page still shows no spreadsheet, and the disconnection coming through changes nothing
        assertThat(settings.spreadsheet(ALICE)).isEmpty();
        settings.viewed(new SettingsEvent.SpreadsheetDisconnected(ALICE, T2));
        assertThat(settings.spreadsheet(ALICE)).isEmpty();
    }

    @Test
    void onceItsOwnRecordCameBackTheViewFollowsTheTopicAgain() {
        settings.published(new SettingsEvent.SpreadsheetConnected(ALICE, "sheet-1", "Alice 2026", T1));
        settings.viewed(new SettingsEvent.SpreadsheetConnected(ALICE, "sheet-1", "Alice 2026", T1));

        // Another replica disconnects it later; the view brings that here
        settings.viewed(new SettingsEvent.SpreadsheetDisconnected(ALICE, T2));

        assertThat(settings.spreadsheet(ALICE)).isEmpty();
    }

    @Test
    void anotherKindOfSettingIsNotHeldBack() {
        settings.published(new SettingsEvent.ReviewSettingSaved(ALICE, true, T2));

        // An older spreadsheet record of Alice's arrives: a different key, applied
        settings.viewed(new SettingsEvent.SpreadsheetConnected(ALICE, "sheet-1", "Alice 2026", T1));

        assertThat(settings.spreadsheet(ALICE)).isPresent();
        assertThat(settings.reviews(ALICE)).isTrue();
    }
}
