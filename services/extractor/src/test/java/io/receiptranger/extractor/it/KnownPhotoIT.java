package io.receiptranger.extractor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.receiptranger.extractor.ledger.KnownPhotos;
import io.receiptranger.kafkalocal.KafkaLocalResource;

/**
 * The same photo never costs two model calls: once the owner's ledger ({@code sheets-ledger}, as the
 * sink writes it) holds a receipt of a photo, a new upload of the same bytes in a new batch ends
 * DUPLICATE without a model call and without an extraction; another owner's identical photo is read.
 */
@QuarkusTest
@QuarkusTestResource(KafkaLocalResource.class)
@QuarkusTestResource(value = FakeOpenAi.class, restrictToAnnotatedClass = true)
class KnownPhotoIT extends PipelineHarness {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SHA = "c07bb1228ae7cc72d6510ae76dd1b6f542321d65ba38f99ad151ef64a68cafea";

    @Inject
    KnownPhotos known;

    @Test
    void aSecondUploadOfTheSamePhotoEndsDuplicateWithoutAModelCall() {
        // Given alice's first upload of a photo, read by the model
        String uri = TestImages.storedPng("r-known-1");
        kafka.send("r-known-1", submitted("r-known-1", "b-known-1", "alice", uri));
        await().atMost(WAIT).until(() -> kafka.stages("r-known-1").contains("EXTRACTED"));
        assertThat(FakeOpenAi.server.getAllServeEvents()).hasSize(1);
        // And the sink having written it to January 2026, row 14 (its ledger record)
        kafka.send(KnownPhotos.TOPIC, "r-known-1", """
                {"receiptId":"r-known-1","batchId":"b-known-1","owner":"alice","state":"WRITTEN","fileName":"IMG_0042.jpg",
                 "sha256":"%s","amount":"25.50","date":"2026-01-20","vendor":"Taco Cabana","tab":"January 2026","row":14,
                 "recordedAt":"2026-11-28T22:00:05Z"}""".formatted(SHA));
        await().atMost(WAIT).until(() -> known.earlier("alice", SHA, "r-known-2").isPresent());

        // When the same bytes are uploaded again in a new batch
        String again = TestImages.storedPng("r-known-2");
        kafka.send("r-known-2", submitted("r-known-2", "b-known-2", "alice", again));

        // Then the receipt ends DUPLICATE, naming the first one and where it was written, with no model call
        await().atMost(WAIT).until(() -> kafka.stages("r-known-2").contains("DUPLICATE"));
        assertThat(kafka.stages("r-known-2")).containsExactly("DUPLICATE");
        assertThat(kafka.on("receipt-status", "r-known-2").get(0).json().get("detail").asText())
                .isEqualTo("The same photo as receipt r-known-1 (IMG_0042.jpg), written to January 2026, row 14; not read again.");
        assertThat(kafka.on("extractions", "r-known-2")).isEmpty();
        assertThat(FakeOpenAi.server.getAllServeEvents()).hasSize(1);

        // And bob's identical photo is his own receipt: read by the model
        String bobs = TestImages.storedPng("r-known-3");
        kafka.send("r-known-3", submitted("r-known-3", "b-known-3", "bob", bobs));
        await().atMost(WAIT).until(() -> kafka.stages("r-known-3").contains("EXTRACTED"));
        assertThat(FakeOpenAi.server.getAllServeEvents()).hasSize(2);

        // And the first receipt delivered again is not a duplicate of itself
        kafka.send("r-known-1", submitted("r-known-1", "b-known-1", "alice", uri));
        await().atMost(WAIT).until(() -> kafka.stages("r-known-1").stream().filter("EXTRACTED"::equals).count() == 2);
        assertThat(kafka.stages("r-known-1")).doesNotContain("DUPLICATE");
    }

    @Test
    void aRereadTheOwnerAskedForIsReadAgainThoughTheLedgerKnowsThePhoto() {
        // Given carol's receipt written from a photo the ledger knows
        String uri = TestImages.storedPng("r-reread-1");
        kafka.send(KnownPhotos.TOPIC, "r-reread-1", """
                {"receiptId":"r-reread-1","batchId":"b-reread","owner":"carol","state":"WRITTEN","fileName":"IMG_0042.jpg",
                 "sha256":"%s","amount":"25.50","date":"2026-01-20","vendor":"Taco Cabana","tab":"January 2026","row":2,
                 "recordedAt":"2026-11-28T22:00:05Z"}""".formatted(SHA));
        await().atMost(WAIT).until(() -> known.earlier("carol", SHA, "r-reread-2").isPresent());
        int calls = FakeOpenAi.server.getAllServeEvents().size();

        // When carol asks for it to be read again (a ReceiptRereadRequested on receipts)
        kafka.send("r-reread-1", """
                {"receiptId":"r-reread-1","batchId":"b-reread","owner":"carol","fileName":"IMG_0042.jpg","sha256":"%s",
                 "image":{"uri":"%s"},"rereadId":"rr-carol-1","by":"carol"}""".formatted(SHA, uri));

        // Then the model reads it (no DUPLICATE of itself) and the extraction answers that re-read
        await().atMost(WAIT).until(() -> kafka.stages("r-reread-1").contains("EXTRACTED"));
        assertThat(kafka.stages("r-reread-1")).doesNotContain("DUPLICATE");
        assertThat(FakeOpenAi.server.getAllServeEvents()).hasSize(calls + 1);
        await().atMost(WAIT).until(() -> !kafka.on("extractions", "r-reread-1").isEmpty());
        assertThat(kafka.on("extractions", "r-reread-1")).singleElement()
                .satisfies(r -> assertThat(r.json().path("rereadId").asText()).isEqualTo("rr-carol-1"));
    }

    private static String submitted(String receiptId, String batchId, String owner, String uri) {
        return """
                {"receiptId":"%s","batchId":"%s","owner":"%s","fileName":"IMG_0042.jpg","sha256":"%s","image":{"uri":"%s"}}"""
                .formatted(receiptId, batchId, owner, SHA, uri);
    }
}
