package io.receiptranger.extractor;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.LocalDate;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.receiptranger.extractor.ReceiptExtracted.Checks;
import io.receiptranger.extractor.ai.ModelClient;
import io.receiptranger.extractor.ai.ModelFailedException;
import io.receiptranger.extractor.ai.ReceiptExtractor;
import io.receiptranger.extractor.ai.ReceiptReading;
import io.receiptranger.extractor.config.ExtractorConfig;
import io.receiptranger.extractor.image.ReceiptImage;
import io.receiptranger.extractor.keys.ModelRoute;
import io.receiptranger.extractor.keys.ModelRoutes;
import io.receiptranger.extractor.keys.SettingsUnavailableException;
import io.receiptranger.extractor.keys.UndecryptableKeyException;
import io.receiptranger.extractor.ocr.DateOrder;
import io.receiptranger.extractor.ocr.OcrUnavailableException;
import io.receiptranger.extractor.image.Upright;
import io.receiptranger.extractor.ocr.OfflineExtractor;
import io.receiptranger.extractor.rules.ExclusionCriteria;
import io.receiptranger.extractor.rules.PromptInjectionException;
import io.receiptranger.extractor.rules.ReadingMapper;
import io.receiptranger.extractor.rules.ReceiptDates;

/**
 * One receipt image → one {@link ReceiptExtracted}: screens the exclusion criteria, picks the backend
 * (the model when a key is set, otherwise offline OCR), applies the date retry and the in-code rules. Never throws for a model failure: that is a FAILED
 * extraction with its reason ({@link Result#deadLetter()} tells the caller to dead-letter it too).
 */
@ApplicationScoped
public class ExtractionService {

    /** The backbone's reason before the offline extractor existed; still the example of the FAILED fixture. */
    public static final String NO_BACKEND = "no extraction backend configured: set OPENAI_API_KEY";
    public static final String OFFLINE_MODEL = OfflineExtractor.MODEL;

    private final ModelClient model;
    private final ModelRoutes routes;
    private final ExtractorConfig config;
    private final ModelGate gate;
    private final OfflineExtractor offline;
    private final Upright upright;
    private final Clock clock;

    public ExtractionService(ModelClient model, ModelRoutes routes, ExtractorConfig config, ModelGate gate, OfflineExtractor offline,
            Upright upright) {
        this.model = model;
        this.routes = routes;
        this.config = config;
        this.gate = gate;
        this.offline = offline;
        this.upright = upright;
        this.clock = Clock.systemUTC();
    }

    /** Says once, at startup, which backend reads the receipts. */
    void onStart(@Observes StartupEvent event) {
        if (modelConfigured()) {
            Log.infof("extracting with %s", config.model().name());
        } else if (offline.engine().available()) {
            Log.infof("no OPENAI_API_KEY: extracting offline with the %s OCR engine (model offline-ocr)",
                    offline.engine().name());
        } else {
            Log.warnf("no OPENAI_API_KEY and the %s OCR engine does not run here: every receipt will fail",
                    offline.engine().name());
        }
    }

    /** The extraction, and whether the record should also go to the dead-letter topic. */
    public record Result(ReceiptExtracted extracted, boolean deadLetter) {
    }

    public boolean modelConfigured() {
        return config.model().apiKey().filter(k -> !k.isBlank() && !k.equals("not-set")).isPresent();
    }

    /** What the EXTRACTING status says (the owner's own model is not named before it is looked up). */
    public String backendDetail() {
        return modelConfigured() ? "asking the model" : "reading offline (OCR)";
    }

    /**
     * Reads the receipt along its owner's route ({@link ModelRoutes}): the owner's own key, the
     * deployment's, offline OCR, or FAILED with a sentence to add a key.
     */
    public Result extract(ReceiptSubmitted submitted, ReceiptImage image) {
        LocalDate today = LocalDate.now(clock.withZone(ReceiptDates.zone(submitted.timeZone())));
        ModelRoute route;
        try {
            route = routes.forOwner(submitted.ownerOrDefault());
        } catch (UndecryptableKeyException e) {
            return new Result(ReceiptExtracted.failed(submitted, "Your saved model key cannot be used: " + e.getMessage()
                    + ". Save the key again under Settings.", "none", ReceiptExtractor.PROMPT_VERSION, 0, clock.instant()), false);
        } catch (SettingsUnavailableException e) {
            return new Result(ReceiptExtracted.failed(submitted, e.getMessage(), "none", ReceiptExtractor.PROMPT_VERSION, 0,
                    clock.instant()), true);
        }
        if (route.kind() == ModelRoute.Kind.REFUSED) {
            return new Result(ReceiptExtracted.failed(submitted, route.reason(), "none", ReceiptExtractor.PROMPT_VERSION, 0,
                    clock.instant()), false);
        }
        String modelName = route.kind() == ModelRoute.Kind.OFFLINE ? OFFLINE_MODEL : route.model();
        String given = submitted.exclusionCriteria();
        if (given != null && given.length() > ExclusionCriteria.MAX_CHARS) {
            return new Result(ReceiptExtracted.failed(submitted, "The exclusion criteria are " + given.length()
                    + " characters long; at most " + ExclusionCriteria.MAX_CHARS + " are accepted.", modelName,
                    ReceiptExtractor.PROMPT_VERSION, 0, clock.instant()), false);
        }
        String criteria;
        try {
            criteria = ExclusionCriteria.validateAndSanitise(submitted.exclusionCriteria(),
                    config.rules().promptInjectionBlockScore());
        } catch (PromptInjectionException e) {
            return new Result(ReceiptExtracted.failed(submitted, e.getMessage(), modelName,
                    ReceiptExtractor.PROMPT_VERSION, 0, clock.instant()), false);
        }
        boolean criteriaGiven = !criteria.equals(ExclusionCriteria.NONE);
        if (route.kind() == ModelRoute.Kind.OFFLINE) {
            return readOffline(submitted, image, today);
        }
        // The model sees the picture upright by its content (the offline engines find the direction themselves).
        ReceiptImage uprightImage = upright.content(image);
        DatedReading dated;
        try {
            dated = readWithDateRetry(() -> model.read(route, uprightImage, ReceiptDates.forPrompt(today), criteria), today,
                    submitted.receiptId());
        } catch (ModelFailedException e) {
            return new Result(ReceiptExtracted.failed(submitted, e.getMessage(), modelName,
                    ReceiptExtractor.PROMPT_VERSION, e.attempts(), clock.instant()), true);
        }
        ReadingMapper.Mapped mapped = ReadingMapper.map(dated.reading(), today, criteriaGiven,
                BigDecimal.valueOf(config.rules().maxTotal()));
        return new Result(new ReceiptExtracted(submitted.receiptId(), submitted.batchId(),
                submitted.ownerOrDefault(), submitted.fileName(), submitted.sha256(), mapped.outcome(),
                mapped.reason(), mapped.receipt(), new Checks(mapped.arithmetic(), dated.dateRetried()), modelName,
                ReceiptExtractor.PROMPT_VERSION, dated.attempts(), clock.instant()), false);
    }

    /** One model reading of the image. */
    @FunctionalInterface
    interface Reader {
        ModelClient.Answer read() throws ModelFailedException;
    }

    /** The reading to map, the model calls it took, and whether the date retry happened. */
    record DatedReading(ReceiptReading reading, int attempts, boolean dateRetried) {
    }

    /**
     * SEED-SPEC §2.3.4 (bug 11): a valid reading without a usable date (empty, unparseable or after
     * today, which is blanked) gets exactly one more call; only that call's date is taken, and only if
     * it is a valid reading with a usable date. Everything else stays from the first call; an invalid
     * first reading never retries; a failed retry keeps the first reading.
     */
    static DatedReading readWithDateRetry(Reader reader, LocalDate today, String receiptId) throws ModelFailedException {
        ModelClient.Answer first = reader.read();
        int attempts = first.attempts();
        ReceiptReading reading = first.reading();
        if (!reading.isValidReceipt() || ReadingMapper.validDate(reading.date(), today).isPresent()) {
            return new DatedReading(reading, attempts, false);
        }
        if (ReceiptDates.isFuture(reading.date(), today)) {
            Log.infof("receipt %s: future date detected (%s), replacing with empty string", receiptId, reading.date());
        }
        Log.infof("receipt %s: no date captured; retrying extraction once", receiptId);
        try {
            ModelClient.Answer retry = reader.read();
            attempts += retry.attempts();
            reading = withRetriedDate(reading, retry.reading(), today);
        } catch (ModelFailedException e) {
            attempts += e.attempts();
            Log.infof("receipt %s: date retry failed (%s); keeping the first reading", receiptId, e.getMessage());
        }
        return new DatedReading(reading, attempts, true);
    }

    /**
     * Without a key: OCR and rules (a receipt whose total cannot be read is EXTRACTED with a reason). Exclusion criteria cannot be applied by rules (they are
     * free text), so an offline receipt is never EXCLUDED; its checks are computed from what OCR read.
     */
    private Result readOffline(ReceiptSubmitted submitted, ReceiptImage image, LocalDate today) {
        try {
            DateOrder order = DateOrder.forZone(submitted.timeZone());
            ReceiptReading reading = gate.withPermit(() -> offline.read(java.util.List.of(image.bytes()), order, today));
            ReadingMapper.Mapped mapped = ReadingMapper.map(reading, today, false,
                    BigDecimal.valueOf(config.rules().maxTotal()));
            return new Result(new ReceiptExtracted(submitted.receiptId(), submitted.batchId(),
                    submitted.ownerOrDefault(), submitted.fileName(), submitted.sha256(), mapped.outcome(),
                    mapped.reason(), mapped.receipt(), new Checks(mapped.arithmetic(), false), OFFLINE_MODEL,
                    ReceiptExtractor.PROMPT_VERSION, 1, clock.instant()), false);
        } catch (OcrUnavailableException e) {
            return new Result(ReceiptExtracted.failed(submitted, e.getMessage(), OFFLINE_MODEL,
                    ReceiptExtractor.PROMPT_VERSION, 0, clock.instant()), false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(ReceiptExtracted.failed(submitted, "Interrupted during offline OCR.", OFFLINE_MODEL,
                    ReceiptExtractor.PROMPT_VERSION, 1, clock.instant()), false);
        } catch (Exception e) {
            return new Result(ReceiptExtracted.failed(submitted, "Offline OCR failed: " + e.getMessage(), OFFLINE_MODEL,
                    ReceiptExtractor.PROMPT_VERSION, 1, clock.instant()), true);
        }
    }

    /** The first reading with the retry's date, when the retry is a valid receipt with a usable date. */
    static ReceiptReading withRetriedDate(ReceiptReading first, ReceiptReading retry, LocalDate today) {
        if (retry == null || !retry.isValidReceipt() || ReadingMapper.validDate(retry.date(), today).isEmpty()) {
            return first;
        }
        return new ReceiptReading(first.isValidReceipt(), first.validationError(), first.total(), first.subtotal(),
                first.tax(), first.tip(), first.currency(), retry.date(), first.vendor(), first.categories(),
                first.paymentMethods(), first.cardLast4(), first.excludeFromTable(), first.exclusionReason());
    }
}
