package io.receiptranger.extractor.messaging;

import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.MDC;

import com.fasterxml.jackson.core.JsonProcessingException;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.receiptranger.extractor.ExtractionService;
import io.receiptranger.extractor.Json;
import io.receiptranger.extractor.ReceiptExtracted;
import io.receiptranger.extractor.ReceiptStatus.Stage;
import io.receiptranger.extractor.ReceiptSubmitted;
import io.receiptranger.extractor.ai.ReceiptExtractor;
import io.receiptranger.extractor.image.ImageLoader;
import io.receiptranger.extractor.image.InvalidImageException;
import io.receiptranger.extractor.image.ReceiptImage;
import io.receiptranger.extractor.ledger.KnownPhotos;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The extractor's one consumer: {@code receipts} → {@code extractions} + {@code receipt-status}.
 * Runs on the {@value #POOL} worker pool, unordered, so one slow receipt does not hold back the
 * others of its partition (offsets are still committed in order by the throttled strategy). Whatever
 * cannot be processed is thrown as {@link InvalidReceiptException} → dead-lettered, never a stop.
 */
@ApplicationScoped
public class ExtractionProcessor {

    public static final String RECEIPTS = "receipts";
    /** Worker pool whose max-concurrency bounds the receipts in flight. */
    public static final String POOL = "extraction";
    /** Span attribute naming the receipt a span is about (traces only, never a metric label). */
    static final String RECEIPT_ID_ATTRIBUTE = "ranger.receipt_id";
    private static final Pattern RECEIPT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final ImageLoader images;
    private final ExtractionService extraction;
    private final EventPublisher publisher;
    private final ExtractorMetrics metrics;
    private final KnownPhotos known;
    private final Tracer tracer;

    public ExtractionProcessor(ImageLoader images, ExtractionService extraction, EventPublisher publisher,
            ExtractorMetrics metrics, KnownPhotos known, OpenTelemetry telemetry) {
        this.tracer = telemetry.getTracer("io.receiptranger.extractor");
        this.images = images;
        this.extraction = extraction;
        this.publisher = publisher;
        this.metrics = metrics;
        this.known = known;
    }

    @Incoming(RECEIPTS)
    @Blocking(value = POOL, ordered = false)
    public void process(String payload) {
        try {
            handle(payload);
        } catch (InvalidReceiptException e) {
            metrics.deadLettered(e.kind());
            throw e;
        }
    }

    private void handle(String payload) {
        ReceiptSubmitted submitted = parse(payload);
        String id = submitted.receiptId();
        // A span for this receipt's extraction, child of the record's (its trace began at the
        // upload), and the receipt on every log line meanwhile.
        Span span = tracer.spanBuilder("extract receipt").setAttribute(RECEIPT_ID_ATTRIBUTE, id).startSpan();
        MDC.put("receiptId", id);
        try (Scope scope = span.makeCurrent()) {
            extract(submitted, id);
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            MDC.remove("receiptId");
            span.end();
        }
    }

    private void extract(ReceiptSubmitted submitted, String id) {
        if (submitted.image() == null) {
            fail(submitted, InvalidReceiptException.Cause.NO_IMAGE, "The record has no image: expected image.uri or image.base64.");
        }
        // The same photo as one the owner's ledger holds: no model call, no second row (and no extraction record).
        // A re-read is that photo on purpose: the owner asked for it to be read again.
        Optional<KnownPhotos.Entry> earlier = submitted.reread() ? Optional.empty()
                : known.earlier(submitted.ownerOrDefault(), submitted.sha256(), id);
        if (earlier.isPresent()) {
            publisher.status(id, submitted.batchId(), Stage.DUPLICATE, earlier.get().sentence());
            Log.infof("receipt %s: DUPLICATE of %s (same sha256), not read", id, earlier.get().receiptId());
            return;
        }
        publisher.statusNoWait(id, submitted.batchId(), Stage.EXTRACTING, extraction.backendDetail());
        ReceiptImage image;
        try {
            image = images.load(submitted.image());
        } catch (InvalidImageException e) {
            fail(submitted, InvalidReceiptException.Cause.IMAGE_UNREADABLE, e.getMessage());
            return;
        }
        ExtractionService.Result result = extraction.extract(submitted, image);
        ReceiptExtracted extracted = result.extracted().withReview(submitted.review()).withReread(submitted.rereadId());
        publisher.outcome(extracted, stage(extracted.outcome()), detail(extracted));
        metrics.extracted(extracted.outcome());
        Log.infof("receipt %s: %s%s", id, extracted.outcome(),
                extracted.reason().isEmpty() ? "" : " (" + extracted.reason() + ")");
        if (result.deadLetter()) {
            throw new InvalidReceiptException(InvalidReceiptException.Cause.EXTRACTION_FAILED, extracted.reason());
        }
    }

    private ReceiptSubmitted parse(String payload) {
        if (payload == null) {
            throw new InvalidReceiptException(InvalidReceiptException.Cause.UNREADABLE_RECORD, "The record has no value.");
        }
        ReceiptSubmitted submitted;
        try {
            submitted = Json.MAPPER.readValue(payload, ReceiptSubmitted.class);
        } catch (JsonProcessingException e) {
            throw new InvalidReceiptException(InvalidReceiptException.Cause.UNREADABLE_RECORD, "The record is not a ReceiptSubmitted JSON object: "
                    + e.getOriginalMessage());
        }
        if (submitted == null || submitted.receiptId() == null || !RECEIPT_ID.matcher(submitted.receiptId()).matches()) {
            throw new InvalidReceiptException(InvalidReceiptException.Cause.UNREADABLE_RECORD, "The record has no valid receiptId (1-128 characters of A-Z a-z 0-9 . _ : -).");
        }
        return submitted;
    }

    /** FAILED extraction + status for a known receipt, then dead-letter the record. */
    private void fail(ReceiptSubmitted submitted, InvalidReceiptException.Cause cause, String reason) {
        publisher.outcome(ReceiptExtracted.failed(submitted, reason, "none", ReceiptExtractor.PROMPT_VERSION, 0,
                java.time.Instant.now()).withReread(submitted.rereadId()), Stage.FAILED, reason);
        metrics.extracted(ReceiptExtracted.Outcome.FAILED);
        Log.warnf("receipt %s: dead-lettered: %s", submitted.receiptId(), reason);
        throw new InvalidReceiptException(cause, reason);
    }

    static Stage stage(ReceiptExtracted.Outcome outcome) {
        return switch (outcome) {
            case EXTRACTED -> Stage.EXTRACTED;
            case NOT_A_RECEIPT -> Stage.NOT_A_RECEIPT;
            case EXCLUDED -> Stage.EXCLUDED;
            case FAILED -> Stage.FAILED;
        };
    }

    private static String detail(ReceiptExtracted e) {
        if (e.outcome() == ReceiptExtracted.Outcome.EXTRACTED && e.receipt() != null) {
            String vendor = e.receipt().vendor() == null || e.receipt().vendor().isEmpty() ? "unknown vendor"
                    : e.receipt().vendor();
            return "read " + vendor + (e.receipt().total() == null ? "" : ", total " + e.receipt().total().toPlainString());
        }
        return e.reason();
    }
}
