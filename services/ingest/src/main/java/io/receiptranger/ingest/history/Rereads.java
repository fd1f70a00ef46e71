package io.receiptranger.ingest.history;

import java.io.IOException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.ImageRef;
import io.receiptranger.ingest.ReceiptRereadRequested;
import io.receiptranger.ingest.ReceiptStatus;
import io.receiptranger.ingest.blob.BlobStore;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.messaging.ReceiptPublisher;

/**
 * Re-reading the owner's receipts from their stored images (issue 14): one receipt, or every
 * {@code FAILED} one of a batch. The model (the owner's saved key, or the deployment's) reads the
 * image again:
 * <ul>
 *   <li>a written receipt keeps its row; the sink records the new values beside the old ones and the
 *       owner keeps either ({@link #keep}: a correction with the new values; {@link #dismiss}: the old ones);</li>
 *   <li>a receipt that was not written (FAILED, EXCLUDED, NOT_A_RECEIPT, DUPLICATE) is reopened: its
 *       QUEUED status (with {@code "reread": true}) first, then the request, so it ends in one new terminal stage.</li>
 * </ul>
 * Each request has its own {@code rereadId}; the sink handles each once, so a redelivery is harmless.
 */
@ApplicationScoped
public class Rereads {

    /** States a receipt can be re-read from. */
    static final List<String> REREADABLE = List.of("WRITTEN", "FAILED", "EXCLUDED", "NOT_A_RECEIPT", "DUPLICATE");

    private final SinkLedger sink;
    private final ReceiptPublisher publisher;
    private final Corrections corrections;
    private final BlobStore blobs;
    private final Duration settleWait;
    private final Duration ackTimeout;
    private final int maxCriteria;
    private final Clock clock = Clock.systemUTC();

    public Rereads(SinkLedger sink, ReceiptPublisher publisher, Corrections corrections, BlobStore blobs, IngestConfig config) {
        this.sink = sink;
        this.publisher = publisher;
        this.corrections = corrections;
        this.blobs = blobs;
        this.settleWait = config.corrections().settleWait();
        this.ackTimeout = config.upload().kafkaAckTimeout();
        this.maxCriteria = config.upload().maxExclusionCriteriaChars();
    }

    /** What became of a re-read: {@code OFFERED}, {@code APPLIED}, {@code REFUSED} (the sink's sentence), or still {@code PENDING}. */
    public record Outcome(String rereadId, String outcome, String detail, JsonNode before, JsonNode after, JsonNode receipt) {
    }

    /** A batch's re-reads: the receipts sent, and those that could not be. */
    public record BatchOutcome(List<Sent> rereads, List<Skipped> skipped) {
    }

    public record Sent(String receiptId, String rereadId) {
    }

    public record Skipped(String receiptId, String why) {
    }

    /**
     * Reads one receipt again, with {@code exclusionCriteria} (none: none) judged in {@code timeZone};
     * waits briefly for the sink to settle it, like a correction.
     */
    public Outcome reread(String owner, String receiptId, String exclusionCriteria, String timeZone) {
        String criteria = criteria(exclusionCriteria);
        String zone = zone(timeZone);
        JsonNode current = sink.receipt(receiptId, owner).orElseThrow(() -> new Corrections.Unknown(receiptId));
        String id = send(owner, current.path("receipt"), criteria, zone);
        // A reopened receipt has settled once it reached a state again (not PENDING).
        Optional<SinkLedger.Settled> done = sink.awaitChange(owner, receiptId, id, settleWait,
                receipt -> !"PENDING".equals(receipt.path("state").asText()));
        if (done.isPresent()) {
            JsonNode h = done.get().entry();
            return new Outcome(id, h.path("outcome").asText(), h.path("detail").asText(), h.path("before"), h.path("after"),
                    done.get().receipt());
        }
        return new Outcome(id, "PENDING", "The receipt is being read again; the new values show here once the model has read it.", null, null,
                current.path("receipt"));
    }

    /** Reads again every FAILED receipt of one of the owner's batches; a batch with none answers 404 like an unknown one. */
    public BatchOutcome rereadFailed(String owner, String batchId, String exclusionCriteria, String timeZone) {
        String criteria = criteria(exclusionCriteria);
        String zone = zone(timeZone);
        List<JsonNode> failed = sink.list(owner, "FAILED", batchId);
        if (failed.isEmpty()) {
            throw new Corrections.Unknown("There are no receipts that could not be read in batch " + batchId + ".", true);
        }
        List<Sent> sent = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        for (JsonNode receipt : failed) {
            String receiptId = receipt.path("receiptId").asText();
            try {
                sent.add(new Sent(receiptId, send(owner, receipt, criteria, zone)));
            } catch (Corrections.Conflict e) {
                skipped.add(new Skipped(receiptId, e.getMessage()));
            }
        }
        return new BatchOutcome(sent, skipped);
    }

    /** The owner keeps the re-read's values: a correction with them (the sink checks the row as for any correction). */
    public Corrections.Outcome keep(String owner, String receiptId, String rereadId) {
        JsonNode offer = openOffer(owner, receiptId, rereadId);
        JsonNode before = offer.path("before");
        JsonNode after = offer.path("after");
        List<String> categories = new ArrayList<>();
        after.path("categories").forEach(c -> categories.add(c.asText()));
        Corrections.Fields change = new Corrections.Fields(
                differs(before, after, "amount") ? text(after, "amount") : null,
                differs(before, after, "date") ? Optional.ofNullable(text(after, "date")).orElse("") : null,
                differs(before, after, "vendor") ? text(after, "vendor") : null,
                before.path("categories").equals(after.path("categories")) || categories.isEmpty() ? null : categories);
        return corrections.correct(owner, receiptId, change, null);
    }

    /** The owner keeps the values the receipt had: the re-read is set aside. */
    public Corrections.Outcome dismiss(String owner, String receiptId, String rereadId) {
        openOffer(owner, receiptId, rereadId);
        return corrections.dismiss(owner, receiptId, rereadId);
    }

    private JsonNode openOffer(String owner, String receiptId, String rereadId) {
        JsonNode current = sink.receipt(receiptId, owner).orElseThrow(() -> new Corrections.Unknown(receiptId));
        JsonNode offer = current.path("receipt").path("reread");
        if (offer.isMissingNode() || offer.isNull() || (rereadId != null && !rereadId.equals(offer.path("correctionId").asText()))) {
            throw new Corrections.Conflict("There is no re-read of this receipt waiting for a choice.");
        }
        return offer;
    }

    private String send(String owner, JsonNode receipt, String criteria, String zone) {
        String receiptId = receipt.path("receiptId").asText();
        String state = receipt.path("state").asText();
        if (!REREADABLE.contains(state)) {
            String why = switch (state) {
                case "REVIEW" -> "it is waiting for your review: accept or discard it";
                case "PENDING" -> "it is being written right now";
                case "DELETED" -> "it was deleted";
                default -> "it is " + state.toLowerCase(Locale.ROOT);
            };
            throw new Corrections.Conflict("This receipt cannot be read again: " + why + ".");
        }
        String batchId = receipt.path("batchId").asText("");
        String image = storedImage(batchId, receiptId).orElseThrow(() -> new Corrections.Conflict(
                "The image of this receipt is no longer kept, so it cannot be read again. Upload the photo again instead."));
        String id = "rr-" + UUID.randomUUID();
        var request = new ReceiptRereadRequested(receiptId, batchId, owner, "web", text(receipt, "fileName"),
                image.endsWith(".png") ? "image/png" : "image/jpeg", text(receipt, "sha256"), ImageRef.of(image), clock.instant(), zone,
                criteria, id, owner);
        // A receipt that was not written is reopened first (its view goes back to QUEUED), then read.
        List<ReceiptStatus> reopen = "WRITTEN".equals(state) ? List.of() : List.of(ReceiptStatus.rereading(receiptId, batchId, clock.instant()));
        publisher.publishReread(request, reopen, ackTimeout);
        Log.infof("Re-read %s of receipt %s (was %s) asked", id, receiptId, state);
        return id;
    }

    /** The blob-store address of the receipt's normalised image (what the model read the first time), if it is still kept. */
    private Optional<String> storedImage(String batchId, String receiptId) {
        if (batchId.isBlank() || !receiptId.matches("[A-Za-z0-9._:-]{1,128}") || !batchId.matches("[A-Za-z0-9._:-]{1,128}")) {
            return Optional.empty();
        }
        for (String name : List.of("image.jpg", "image.png")) {
            try {
                String uri = blobs.uriOf(batchId + "/" + receiptId + "/" + name);
                blobs.get(uri);
                return Optional.of(uri);
            } catch (IOException e) {
                // not this one
            }
        }
        return Optional.empty();
    }

    private String criteria(String asked) {
        String c = asked == null || asked.isBlank() ? null : asked.trim();
        if (c != null && c.length() > maxCriteria) {
            throw new CorrectionRules.Refused("The exclusion criteria are " + c.length() + " characters long; the limit is " + maxCriteria + ".");
        }
        return c;
    }

    private static String zone(String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return null;
        }
        try {
            return ZoneId.of(timeZone.trim()).getId();
        } catch (DateTimeException e) {
            throw new CorrectionRules.Refused("The time zone \"" + (timeZone.length() > 40 ? timeZone.substring(0, 40) + "…" : timeZone)
                    + "\" is not one we know, such as Europe/Paris.");
        }
    }

    private static boolean differs(JsonNode a, JsonNode b, String field) {
        return !a.path(field).equals(b.path(field));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.path(field);
        return v.isMissingNode() || v.isNull() ? null : v.asText();
    }
}
