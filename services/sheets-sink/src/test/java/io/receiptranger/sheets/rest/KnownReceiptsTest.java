package io.receiptranger.sheets.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.receiptranger.sheets.LedgerEntry;

/** "Which of these photos do I already have?" and "which were duplicates?", per owner (CONTRACT.md §4). */
class KnownReceiptsTest {

    static final String A = "a".repeat(64);
    static final String B = "b".repeat(64);
    static final String C = "c".repeat(64);
    static final String D = "d".repeat(64);
    static final String NEW = "e".repeat(64);

    static LedgerEntry entry(String id, String owner, String sha, String state, String amount, String date, String vendor, int minute) {
        return new LedgerEntry(id, "b-1", owner, state, id + ".jpg", sha, amount, "USD", date, vendor, List.of("Other"), null,
                "January 2026", null, state.toLowerCase(), null, Instant.parse("2026-11-28T22:00:00Z").plusSeconds(60L * minute), null);
    }

    static final List<LedgerEntry> LEDGER = List.of(
            entry("r-1", "alice", A, LedgerEntry.WRITTEN, "25.50", "2026-01-20", "Taco Cabana", 1),
            entry("r-2", "alice", B, LedgerEntry.NOT_A_RECEIPT, null, null, null, 2),
            entry("r-3", "alice", C, LedgerEntry.FAILED, null, null, null, 3),
            entry("r-4", "alice", D, LedgerEntry.DUPLICATE, "25.5", "2026-01-20", "TACO CABANA", 4),
            entry("r-5", "bob", NEW, LedgerEntry.WRITTEN, "1.00", "2026-01-02", "Kiosk", 5),
            // The same photo as r-1 sent again later: a duplicate of itself, the written one still answers.
            entry("r-6", "alice", A.toUpperCase(), LedgerEntry.DUPLICATE, "25.50", "2026-01-20", "Taco Cabana", 6),
            entry("r-7", "alice", null, LedgerEntry.WRITTEN, "3.00", "2026-01-03", "Cafe", 7));

    @Test
    void processedPhotosAreKnownFailedAndForeignOnesAreNot() {
        List<KnownReceipts.Known> found = KnownReceipts.lookup(LEDGER, "alice", KnownReceipts.hashes(List.of(A, B, C, D, NEW)));

        assertThat(found).extracting(KnownReceipts.Known::sha256).containsExactly(A, B, D);
        assertThat(found).extracting(KnownReceipts.Known::state).containsExactly("WRITTEN", "NOT_A_RECEIPT", "DUPLICATE");
        assertThat(found.get(0).receiptId()).isEqualTo("r-1");
        assertThat(found.get(0).vendor()).isEqualTo("Taco Cabana");
        assertThat(found.get(0).fileName()).isEqualTo("r-1.jpg");
    }

    @Test
    void anotherOwnersLedgerAnswersAsIfEmpty() {
        assertThat(KnownReceipts.lookup(LEDGER, "mallory", KnownReceipts.hashes(List.of(A, NEW)))).isEmpty();
        assertThat(KnownReceipts.duplicates(LEDGER, "mallory")).isEmpty();
    }

    @Test
    void hashesAreCheckedAndCaseDoesNotMatter() {
        assertThat(KnownReceipts.hashes(List.of(A.toUpperCase(), " " + A + " "))).containsExactly(A);
        assertThatThrownBy(() -> KnownReceipts.hashes(List.of()))
                .hasMessageStartingWith("sha256 must list at least one hash");
        assertThatThrownBy(() -> KnownReceipts.hashes(null)).hasMessageStartingWith("sha256 must list at least one hash");
        assertThatThrownBy(() -> KnownReceipts.hashes(List.of("xyz")))
                .hasMessage("each sha256 must be 64 hexadecimal digits, not \"xyz\"");
        assertThatThrownBy(() -> KnownReceipts.hashes(Collections.nCopies(1001, A)))
                .hasMessage("at most 1000 hashes per lookup, not 1001");
    }

    @Test
    void duplicatesNameTheWrittenReceiptTheyRepeat() {
        List<KnownReceipts.Duplicate> duplicates = KnownReceipts.duplicates(LEDGER, "alice");

        assertThat(duplicates).extracting(KnownReceipts.Duplicate::receiptId).containsExactly("r-4", "r-6");
        assertThat(duplicates.get(0).duplicateOf().receiptId()).isEqualTo("r-1");
        assertThat(duplicates.get(0).duplicateOf().fileName()).isEqualTo("r-1.jpg");
        assertThat(duplicates.get(0).detail()).isEqualTo("duplicate");
    }

    @Test
    void aLookupInTheResourceNeedsAnOwner() {
        ReceiptsResource resource = new ReceiptsResource(new io.receiptranger.sheets.ledger.Ledger() {
            public java.util.Optional<LedgerEntry> get(String id) {
                return java.util.Optional.empty();
            }

            public void record(List<LedgerEntry> entries) {
            }

            public List<LedgerEntry> all() {
                return LEDGER;
            }

            public void awaitCaughtUp() {
            }

            public boolean ready() {
                return true;
            }
        });

        assertThat(resource.lookup("alice", new ReceiptsResource.HashQuery(List.of(B))).found()).hasSize(1);
        assertThatThrownBy(() -> resource.lookup(" ", new ReceiptsResource.HashQuery(List.of(B))))
                .hasMessage("owner is required (the ingest sets it from the caller)");
        assertThatThrownBy(() -> resource.duplicates(null)).hasMessage("owner is required (the ingest sets it from the caller)");
        assertThat(Set.copyOf(resource.duplicates("alice").stream().map(KnownReceipts.Duplicate::receiptId).toList()))
                .containsExactlyInAnyOrder("r-4", "r-6");
    }
}
