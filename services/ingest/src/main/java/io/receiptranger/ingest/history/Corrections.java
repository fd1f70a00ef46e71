package io.receiptranger.ingest.history;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.ReceiptCorrected;
import io.receiptranger.ingest.blob.BlobStore;
import io.receiptranger.ingest.config.IngestConfig;

/**
 * The owner's changes to their receipts, end to end: checks the values and that the receipt is the
 * owner's and in a state the change fits, publishes a {@link ReceiptCorrected}, then waits (briefly)
 * for the sink to settle it so the page can show the outcome at once. A deletion that applied takes
 * the receipt's images out of the blob store.
 */
@ApplicationScoped
public class Corrections {

    private final SinkLedger sink;
    private final CorrectionPublisher publisher;
    private final BlobStore blobs;
    private final Duration settleWait;
    private final Duration ackTimeout;
    private final Clock clock = Clock.systemUTC();

    public Corrections(SinkLedger sink, CorrectionPublisher publisher, BlobStore blobs, IngestConfig config) {
        this.sink = sink;
        this.publisher = publisher;
        this.blobs = blobs;
        this.settleWait = config.corrections().settleWait();
        this.ackTimeout = config.upload().kafkaAckTimeout();
    }

    /** The four values a correction may carry; null = unchanged. */
    public record Fields(String amount, String date, String vendor, List<String> categories) {
    }

    /** What became of a change: settled ({@code APPLIED} or {@code REFUSED}, with the sink's sentence) or still {@code PENDING}. */
    public record Outcome(String correctionId, String outcome, String detail, JsonNode receipt) {
    }

    public Outcome correct(String owner, String receiptId, Fields asked, String timeZone) {
        Fields f = CorrectionRules.check(asked, timeZone);
        if (f.amount() == null && f.date() == null && f.vendor() == null && f.categories() == null) {
            throw new CorrectionRules.Refused("Say what to change: amount, date, vendor or categories.");
        }
        JsonNode current = require(owner, receiptId, "WRITTEN", "corrected");
        return send(owner, current, ReceiptCorrected.CORRECT, f, null);
    }

    public Outcome delete(String owner, String receiptId) {
        JsonNode current = require(owner, receiptId, "WRITTEN", "deleted");
        Outcome outcome = send(owner, current, ReceiptCorrected.DELETE, new Fields(null, null, null, null), null);
        if ("APPLIED".equals(outcome.outcome())) {
            deleteImages(current.path("receipt").path("batchId").asText(""), receiptId);
        }
        return outcome;
    }

    public Outcome undo(String owner, String receiptId, String correctionId) {
        JsonNode current = sink.receipt(receiptId, owner).orElseThrow(() -> new Unknown(receiptId));
        JsonNode last = current.path("receipt").path("lastChange");
        if (last.isMissingNode() || last.isNull() || (correctionId != null && !correctionId.equals(last.path("correctionId").asText()))) {
            throw new Conflict("There is no recent change of this receipt to undo (only the last change can be undone, for a few minutes).");
        }
        return send(owner, current, ReceiptCorrected.UNDO, new Fields(null, null, null, null), last.path("correctionId").asText());
    }

    public Outcome accept(String owner, String receiptId, Fields asked, String timeZone) {
        Fields f = CorrectionRules.check(asked, timeZone);
        JsonNode current = require(owner, receiptId, "REVIEW", "accepted");
        return send(owner, current, ReceiptCorrected.ACCEPT, f, null);
    }

    /** The owner keeps the receipt's values: the re-read {@code rereadId} offered beside them is set aside. */
    public Outcome dismiss(String owner, String receiptId, String rereadId) {
        JsonNode current = require(owner, receiptId, "WRITTEN", "changed");
        return send(owner, current, ReceiptCorrected.DISMISS, new Fields(null, null, null, null), null, rereadId);
    }

    public Outcome discard(String owner, String receiptId) {
        JsonNode current = require(owner, receiptId, "REVIEW", "discarded");
        return send(owner, current, ReceiptCorrected.DISCARD, new Fields(null, null, null, null), null);
    }

    /** The receipts of the owner waiting for review (of one batch, or all). */
    public Optional<JsonNode> receipt(String owner, String receiptId) {
        return sink.receipt(receiptId, owner);
    }

    private JsonNode require(String owner, String receiptId, String state, String verb) {
        JsonNode current = sink.receipt(receiptId, owner).orElseThrow(() -> new Unknown(receiptId));
        String now = current.path("receipt").path("state").asText();
        if (!state.equals(now)) {
            String why = switch (now) {
                case "REVIEW" -> "it is waiting for review: accept it first";
                case "WRITTEN" -> "it is already written";
                case "DELETED" -> "it was deleted";
                case "PENDING" -> "it is still being written";
                default -> "it is " + now.toLowerCase(java.util.Locale.ROOT);
            };
            throw new Conflict("This receipt cannot be " + verb + ": " + why + ".");
        }
        if (!current.path("pending").isNull() && !current.path("pending").isMissingNode()) {
            throw new Conflict("Another change of this receipt is being applied; try again in a moment.");
        }
        return current;
    }

    private Outcome send(String owner, JsonNode current, String action, Fields f, String undoes) {
        return send(owner, current, action, f, undoes, null);
    }

    private Outcome send(String owner, JsonNode current, String action, Fields f, String undoes, String rereadId) {
        String receiptId = current.path("receipt").path("receiptId").asText();
        String id = "c-" + UUID.randomUUID();
        publisher.publish(new ReceiptCorrected(id, receiptId, owner, owner, clock.instant(), action, f.amount(), f.date(), f.vendor(),
                f.categories(), undoes, rereadId), ackTimeout);
        Optional<SinkLedger.Settled> done = sink.awaitChange(owner, receiptId, id, settleWait, receipt -> true);
        if (done.isPresent()) {
            return new Outcome(id, done.get().entry().path("outcome").asText(), done.get().entry().path("detail").asText(),
                    done.get().receipt());
        }
        return new Outcome(id, "PENDING", "The change is on its way; it shows in the history once applied.", current.path("receipt"));
    }

    private void deleteImages(String batchId, String receiptId) {
        if (batchId.isBlank()) {
            return;
        }
        // The keys the upload used: image.jpg|png (normalised) and original.<ext> (CONTRACT §1, ingest README "Files").
        List<String> names = new java.util.ArrayList<>(List.of("image.jpg", "image.png"));
        for (io.receiptranger.ingest.upload.ImageFormat f : io.receiptranger.ingest.upload.ImageFormat.values()) {
            names.add("original." + f.extension());
        }
        for (String name : names) {
            try {
                blobs.delete(batchId + "/" + receiptId + "/" + name);
            } catch (java.io.IOException e) {
                Log.warnf("Could not delete %s/%s/%s: %s", batchId, receiptId, name, e.getMessage());
            }
        }
    }

    /** An unknown receipt, or another owner's: a 404. */
    public static final class Unknown extends RuntimeException {
        public Unknown(String receiptId) {
            super("There is no receipt " + receiptId + ".");
        }

        /** With a sentence of its own ({@code sentence}: true). */
        public Unknown(String sentence, boolean sentenceGiven) {
            super(sentenceGiven ? sentence : "There is no receipt " + sentence + ".");
        }
    }

    /** The receipt is not in a state this change fits: a 409. */
    public static final class Conflict extends RuntimeException {
        public Conflict(String sentence) {
            super(sentence);
        }
    }
}
