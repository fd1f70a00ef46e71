package io.receiptranger.extractor.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class KnownPhotosTest {

    private static final String SHA = "AB".repeat(32);

    private static String entry(String receiptId, String owner, String state, Integer row) {
        return """
                {"receiptId":"%s","owner":"%s","state":"%s","fileName":"a.jpg","sha256":"%s","tab":"January 2026","row":%s,
                 "futureField":1}""".formatted(receiptId, owner, state, SHA, row);
    }

    @Test
    void aPendingEntryIsNotKnownItsWrittenStateIs() {
        KnownPhotos known = new KnownPhotos(Map.of(), false);
        known.apply("r1", entry("r1", "alice", "PENDING", null));
        assertThat(known.earlier("alice", SHA.toLowerCase(), "r2")).isEmpty();

        known.apply("r1", entry("r1", "alice", "WRITTEN", 14));

        assertThat(known.earlier("alice", SHA.toLowerCase(), "r2")).get().extracting(KnownPhotos.Entry::sentence)
                .isEqualTo("The same photo as receipt r1 (a.jpg), written to January 2026, row 14; not read again.");
        assertThat(known.earlier("bob", SHA, "r2")).isEmpty();
        assertThat(known.earlier("alice", SHA, "r1")).as("a redelivery is not its own duplicate").isEmpty();
    }

    @Test
    void aFailedReceiptIsRetriedAndADeletedOneForgotten() {
        KnownPhotos known = new KnownPhotos(Map.of(), false);
        known.apply("r1", entry("r1", "alice", "FAILED", null));
        assertThat(known.earlier("alice", SHA, "r2")).isEmpty();

        known.apply("r1", entry("r1", "alice", "WRITTEN", 3));
        known.apply("r1", null);

        assertThat(known.earlier("alice", SHA, "r2")).isEmpty();
    }

    @Test
    void theWrittenReceiptIsPreferredOverADuplicateOfTheSamePhoto() {
        KnownPhotos known = new KnownPhotos(Map.of(), false);
        known.apply("r1", entry("r1", "alice", "DUPLICATE", 9));
        known.apply("r2", entry("r2", "alice", "WRITTEN", 8));
        assertThat(known.earlier("alice", SHA, "r3")).get().extracting(KnownPhotos.Entry::receiptId).isEqualTo("r2");

        known.apply("r2", null);

        assertThat(known.earlier("alice", SHA, "r3")).get().extracting(KnownPhotos.Entry::receiptId).isEqualTo("r1");
        known.apply("r9", "not json");
        assertThat(known.earlier("alice", SHA, "r3")).isPresent();
    }
}
