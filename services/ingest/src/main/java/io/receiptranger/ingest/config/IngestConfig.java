package io.receiptranger.ingest.config;

import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Everything the ingest reads from configuration under {@code ranger.*}. The CONTRACT §5 names map
 * onto these by the usual MicroProfile rule ({@code RANGER_BLOB_STORE} → {@code ranger.blob-store}).
 */
@ConfigMapping(prefix = "ranger")
public interface IngestConfig {

    /** Where images are kept: {@code file:<dir>} (relative to the working directory) or {@code s3://bucket/prefix}. */
    @WithDefault("file:.ranger/blobs")
    String blobStore();

    /** Days a receipt's images are kept after it reached a terminal stage (unknown receipts: after the upload). */
    @WithDefault("30")
    int blobRetentionDays();

    /** Base URL of the sheets-sink, to which ledger queries are forwarded. */
    @WithDefault("http://localhost:8082")
    String sinkUrl();

    /**
     * Origins (scheme://host[:port]) allowed to open the WebSocket and post uploads. Empty: only the
     * ingest's own origin (the Host header the request came to).
     */
    Optional<List<String>> allowedOrigins();

    /** How long a forwarded ledger query may wait for the sheets-sink. */
    @WithDefault("10s")
    java.time.Duration sinkTimeout();

    /**
     * Key-encryption keys for the users' model keys ({@code RANGER_KEY_ENCRYPTION_KEYS}, {@code kid:base64,…},
     * 32 bytes each; the first encrypts). Unset: users cannot save a model key (the API says so). Never logged.
     */
    Optional<String> keyEncryptionKeys();

    /** The per-owner settings (model key, spreadsheet). */
    Settings settings();

    /**
     * Receipts one owner may submit per UTC day ({@code RANGER_DAILY_RECEIPT_LIMIT}); over it a batch is
     * refused 429 with the reset time. 0: no limit.
     */
    @WithDefault("0")
    int dailyReceiptLimit();

    /** Who may sign in, and how (the account package). */
    Auth auth();

    /** The batch views. */
    Views views();

    /** The owner's changes to their receipts (corrections, deletion, undo, review). */
    Corrections corrections();

    interface Corrections {
        /** How long a change request waits for the sink to apply it before answering 202 (the page then polls). */
        @WithDefault("10s")
        java.time.Duration settleWait();
    }

    /** Upload limits. */
    Upload upload();

    /** Image normalisation. */
    Images images();

    /** Operations: pipeline lag, dead letters. */
    Ops ops();

    interface Ops {
        /**
         * How often the consumer lag and the dead-letter topics are measured (RANGER_OPS_LAG_INTERVAL):
         * a duration such as {@code 15s}, or {@code off}.
         */
        @WithDefault("15s")
        String lagInterval();

        /** Most dead letters listed (and replayed by a filter) per topic, newest first. */
        @WithDefault("500")
        int dlqListLimit();
    }

    interface Settings {
        /** Base URL a saved model key is for when the user names none (OpenAI's). */
        @WithDefault("https://api.openai.com/v1/")
        String defaultBaseUrl();

        /** Model a saved key is for when the user names none (as OPENAI_MODEL's default). */
        @WithDefault("gpt-5-mini")
        String defaultModel();

        /**
         * Whether a user may save a plain-http endpoint (a model server inside the operator's network,
         * such as Ollama); off by default, so keys only travel over TLS.
         */
        @WithDefault("false")
        boolean allowPlainHttp();

        /** How long the one test call to a user's endpoint may take. */
        @WithDefault("20s")
        java.time.Duration checkTimeout();
    }

    /**
     * Sign-in. Without {@link #issuer()} the ingest runs for the one local owner ({@code default}) with no
     * sign-in; with it, every request needs a verified identity (OIDC code flow for the page, bearer
     * tokens or personal API tokens for the API) of someone on {@link #allowedUsers()}.
     */
    interface Auth {
        /** The OpenID Connect issuer ({@code https://accounts.google.com}, a Keycloak realm, a Cognito user pool). */
        Optional<String> issuer();

        /** The OAuth client id registered with the issuer for this deployment. */
        Optional<String> clientId();

        /** The client's secret (also the key of the encrypted session cookie every replica must share). Never logged. */
        Optional<String> clientSecret();

        /** The audience a bearer token must carry; default: the client id. */
        Optional<String> audience();

        /** The verified claim that names the owner; default {@code email} (lower-cased). */
        @WithDefault("email")
        String ownerClaim();

        /** The claim that lists the caller's groups ({@code groups}; Cognito: {@code cognito:groups}). */
        @WithDefault("groups")
        String groupsClaim();

        /**
         * Who may sign in: {@code alice@example.com}, {@code @example.com} (a whole domain) or
         * {@code group:finance}. Required once an issuer is set: nobody is let in by default.
         */
        Optional<List<String>> allowedUsers();

        /** Who may use the operator endpoints, in the same form; nobody by default. */
        Optional<List<String>> operators();
    }

    interface Upload {
        /** Most files one batch may carry; more is refused 413. */
        @WithDefault("20")
        int maxFiles();

        /** Largest accepted file in bytes (10 MiB); a larger one is rejected 413 in {@code rejected}. */
        @WithDefault("10485760")
        long maxFileBytes();

        /** Longest accepted exclusion criteria, in characters. */
        @WithDefault("2000")
        int maxExclusionCriteriaChars();

        /** Longest file name kept (characters); longer names are shortened keeping the extension. */
        @WithDefault("120")
        int maxFileNameChars();

        /** How long an upload waits for Kafka to acknowledge before answering 503. */
        @WithDefault("30s")
        java.time.Duration kafkaAckTimeout();

        /** Upload requests one client (by remote address) may make per minute; 0 turns the limit off. */
        @WithDefault("30")
        int rateLimitRequestsPerMinute();

        /** Upload bytes one client may send per minute; 0 turns the limit off. */
        @WithDefault("524288000")
        long rateLimitBytesPerMinute();

        /**
         * Proxies (IP addresses or CIDR ranges) whose {@code X-Forwarded-For} is believed for the rate
         * limit's client address, read from the right. Empty: the socket's peer is the client.
         */
        Optional<List<String>> trustedProxies();
    }

    interface Images {
        /** Largest pixel count (width × height) read from the header before any decoding. */
        @WithDefault("40000000")
        long maxPixels();

        /**
         * Decode budget: largest decoded size of one image, width × height × samples × bytes per sample
         * (160 MiB: a 40-megapixel image of four 8-bit channels), read from the header before decoding.
         */
        @WithDefault("167772160")
        long maxDecodedBytes();

        /**
         * Most pages a PDF may have (more: refused with a reason); each is checked (size, images) before
         * any is rendered, and all are read: rendered one under the other into the receipt's one image.
         */
        @WithDefault("5")
        int maxPdfPages();

        /** Long edge, in pixels, of the normalised image sent to the model. */
        @WithDefault("2048")
        int maxEdge();

        /** JPEG quality (0–1) of normalised images; receipts stay legible at 0.9. */
        @WithDefault("0.9")
        float jpegQuality();

        /**
         * libheif's thumbnailer, which decodes only a HEIC/HEIF file's primary image, scaled
         * ({@code heif-thumbnailer -p -s <edge> <in> <out.png>}).
         */
        @WithDefault("heif-thumbnailer")
        String heifCommand();

        /** Longest a HEIC conversion may run; then the process and its children are killed. */
        @WithDefault("20s")
        java.time.Duration heifTimeout();
    }

    interface Views {
        /** Consumer group prefix of this replica's views; random per start so every replica reads everything. */
        String group();

        /** Whether readiness waits until the views have read the topics up to their end at start-up. */
        @WithDefault("true")
        boolean awaitCatchUp();

        /** How long a progress socket for a batch this replica has not seen yet waits before "unknown batch". */
        @WithDefault("10s")
        java.time.Duration unknownBatchWait();

        /** How long a complete batch stays in the views after its last event; then "too old" (404). */
        @WithDefault("24h")
        java.time.Duration terminalRetention();

        /** Most batches the views hold; over it the longest-resting batch is let go (complete ones first). */
        @WithDefault("5000")
        int maxBatches();

        /** How many let-go batch ids are remembered to answer "too old" rather than "unknown". */
        @WithDefault("100000")
        int rememberedEvictions();
    }
}
