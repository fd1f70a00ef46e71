package io.receiptranger.extractor.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The extractor's own settings (prefix {@code ranger}); Quarkus and Kafka settings live in application.properties. */
@ConfigMapping(prefix = "ranger")
public interface ExtractorConfig {

    /**
     * Where images are stored (RANGER_BLOB_STORE): {@code file:<dir>} or {@code s3://bucket/prefix} (with the
     * usual AWS_* variables and AWS_ENDPOINT_URL). An image URI outside it, or of the other kind, is refused.
     */
    @WithDefault("file:.ranger/blobs")
    String blobStore();

    /** Model calls (or OCR runs) in flight per process at start (RANGER_MODEL_CONCURRENCY); it then follows the provider. */
    @WithDefault("4")
    int modelConcurrency();

    /**
     * The most model calls in flight the adaptive limit may grow to (RANGER_MODEL_CONCURRENCY_MAX);
     * default twice RANGER_MODEL_CONCURRENCY. Equal to it: the limit only shrinks (on 429s) and recovers.
     */
    Optional<Integer> modelConcurrencyMax();

    /**
     * Key-encryption keys that decrypt the owners' saved model keys ({@code RANGER_KEY_ENCRYPTION_KEYS},
     * {@code kid:base64,…}, the ingest's ring). Unset: a receipt of an owner with a saved key fails saying so.
     * Never logged.
     */
    Optional<String> keyEncryptionKeys();

    /**
     * Owners who may use the deployment's own key (OPENAI_API_KEY) when they saved none
     * ({@code RANGER_DEPLOYMENT_KEY_OWNERS}): {@code *} everyone, {@code none} nobody, {@code @example.com} a
     * domain, or owner ids, comma-separated. Others' receipts end FAILED with a sentence to add a key.
     */
    @WithDefault("*")
    String deploymentKeyOwners();

    /** Reading the owners' settings topic. */
    Settings settings();

    interface Settings {
        /** The compacted topic of the owners' settings. */
        @WithDefault("owner-settings")
        String topic();

        /** How long a receipt waits for this replica's copy of the settings to catch up before it fails. */
        @WithDefault("30s")
        Duration catchUpTimeout();
    }

    /** Rules applied to what the model returns. */
    Rules rules();

    /** How model calls are retried, paced and cut off. */
    Model model();

    /** The offline (OCR) extractor used when no OPENAI_API_KEY is set, and the upright step before any reader. */
    Ocr ocr();

    /**
     * Whether a photo whose SHA-256 the owner's ledger ({@code sheets-ledger}) already holds ends DUPLICATE
     * without being read again (RANGER_KNOWN_PHOTOS).
     */
    @WithDefault("true")
    boolean knownPhotos();

    /** How reads from a briefly unavailable blob store are retried (the model's back-off, its own budget). */
    BlobRetry blob();

    interface BlobRetry {
        /** First back-off after a transient blob-store failure (S3 5xx/throttling/unreachable, I/O error); doubles, full jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest single back-off between two reads of the blob store. */
        @WithDefault("20s")
        Duration maxBackoff();

        /**
         * Time one receipt may spend retrying the blob store before it is FAILED and dead-lettered. No
         * attempt cap: without a breaker, attempts would fail receipts in a short outage; time bounds it.
         */
        @WithDefault("120s")
        Duration retryBudget();
    }

    interface Rules {
        /** Risk score at which exclusion criteria are refused (PROMPT_INJECTION_BLOCK_SCORE). */
        @WithDefault("10")
        int promptInjectionBlockScore();

        /** A total above this is not a receipt total we believe; it is dropped (kept as unknown). */
        @WithDefault("1000000")
        long maxTotal();

        /** Largest inline ({@code image.base64}) image, decoded, in bytes. */
        @WithDefault("524288")
        int maxInlineImageBytes();

        /** Largest image read from the blob store (file or S3 object), in bytes. */
        @WithDefault("10485760")
        int maxImageBytes();

        /** Longest edge sent to the model; larger images are downscaled. */
        @WithDefault("2048")
        int maxImageEdge();
    }

    interface Model {
        /** The OpenAI key (OPENAI_API_KEY); absent means the offline extractor. Never logged. */
        @WithName("api-key")
        Optional<String> apiKey();

        /** The model name recorded on every event (OPENAI_MODEL). */
        @WithDefault("gpt-5-mini")
        String name();

        /** Real HTTP timeout of one model call (connect + read); a hung provider is cut off here. */
        @WithDefault("60s")
        Duration timeout();

        /** Model calls per receipt at most, the first one included (date retry excluded). */
        @WithDefault("4")
        int maxAttempts();

        /** First back-off after a retryable failure; doubles each time, with full jitter. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Longest single back-off, also the cap on an honoured Retry-After. */
        @WithDefault("20s")
        Duration maxBackoff();

        /** Total time one receipt may spend retrying before it is FAILED (the retry budget). */
        @WithDefault("120s")
        Duration retryBudget();

        /**
         * Consecutive retryable failures (all receipts) that open the circuit breaker. Keep it below
         * max-attempts so that one receipt alone can detect an outage before its attempts run out.
         */
        @WithDefault("3")
        int breakerFailureThreshold();

        /** How long the breaker stays open (consumption paused) before one trial call. */
        @WithDefault("30s")
        Duration breakerOpenDuration();

        /**
         * Estimated price of one million input tokens in USD, for {@code ranger_model_cost_usd_total}
         * (RANGER_MODEL_PRICE_INPUT_PER_MILLION; default: gpt-5-mini's list price). An estimate, not a bill.
         */
        @WithDefault("0.25")
        double priceInputPerMillion();

        /** Estimated price of one million output tokens in USD (RANGER_MODEL_PRICE_OUTPUT_PER_MILLION). */
        @WithDefault("2.00")
        double priceOutputPerMillion();

        /**
         * Latency rise that halves the adaptive concurrency: the recent average above this many times
         * the quickest of the last 50 calls.
         */
        @WithDefault("2.0")
        double latencyTolerance();
    }

    interface Ocr {
        /**
         * The offline OCR engine: {@code paddle} (PP-OCRv3 on ONNX Runtime, models from Maven jars; the
         * measured best) or {@code tesseract} (the CLI below).
         */
        @WithDefault("paddle")
        String engine();

        /** The Tesseract executable (the tesseract engine, and its orientation detection when chosen). */
        @WithDefault("tesseract")
        String command();

        /** Turn pictures upright by their content before the model and the tesseract engine. */
        @WithDefault("true")
        boolean upright();

        /**
         * What tells a picture's direction for {@link #upright()}: {@code paddle} (PP-OCR's detector and
         * direction classifier, without its recogniser: 99 of 100 turns right on the real receipts for
         * ≈ 0.2 s of CPU) or {@code tesseract} (its orientation detection: 84 of 100, ≈ 0.6 s).
         */
        @WithDefault("paddle")
        String uprightBy();

        /**
         * Tesseract's orientation detection ({@code upright-by=tesseract}) through libtesseract in this
         * process (its model loaded once) instead of a {@code tesseract} process per picture; falls back
         * to the command when the library is missing. {@code false}: always the command.
         */
        @WithDefault("true")
        boolean orientationInProcess();

        /**
         * Least orientation confidence Tesseract ({@code upright-by=tesseract}) must report before a picture is turned. 1.0: on the 25
         * real receipts at all four turns it leaves the most upright (84 of 100 in {@code UprightBench}; 71 at 2.0
         * in a one-off run) and no more
         * upright ones wrongly than 2.0 does (README, "Upright first").
         */
        @WithDefault("1.0")
        double uprightMinConfidence();

        /** Longest one OCR run may take. */
        @WithDefault("60s")
        Duration timeout();
    }
}
