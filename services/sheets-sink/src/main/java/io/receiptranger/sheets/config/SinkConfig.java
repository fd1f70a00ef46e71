package io.receiptranger.sheets.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything the sheets-sink reads from its configuration (CONTRACT.md §5 and its README). */
@ConfigMapping(prefix = "ranger")
public interface SinkConfig {

    /**
     * This replica's stable name ({@code RANGER_INSTANCE_ID}; Kubernetes: the pod's name): its static
     * group membership id and the writer named in its PENDING ledger entries. One running process per
     * id. None: dynamic membership, and the writer is the host name or a random name.
     */
    Optional<String> instanceId();

    /** Google Sheets settings. */
    Sheets sheets();

    /** The Kafka-backed ledger. */
    Ledger ledger();

    /** The owner's changes to written receipts. */
    Corrections corrections();

    interface Corrections {

        /** How long after a correction or deletion it can still be undone. */
        @WithDefault("10m")
        Duration undoWindow();
    }

    interface Sheets {

        /** The spreadsheet every owner writes to ({@code GOOGLE_SHEETS_SPREADSHEET_ID}); none = ledger only. */
        Optional<String> spreadsheetId();

        /** {@code owner=spreadsheetId,…} for several workspaces ({@code RANGER_SHEETS_OWNERS}); others use {@link #spreadsheetId()}. */
        Optional<String> owners();

        /** Base64 of a service-account JSON key ({@code GOOGLE_SHEETS_CREDENTIALS}). Never logged. */
        Optional<String> credentials();

        /** Path of a service-account JSON key ({@code GOOGLE_APPLICATION_CREDENTIALS}), used when {@link #credentials()} is unset. */
        Optional<String> credentialsFile();

        /** Sheets API root ({@code GOOGLE_SHEETS_ROOT_URL}), for Sheets-compatible endpoints and tests. */
        @WithDefault("https://sheets.googleapis.com/")
        String rootUrl();

        /** Connect timeout of every Google call. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** Read timeout of every Google call (a held-open request fails after this and is retried). */
        @WithDefault("60s")
        Duration readTimeout();

        /** Write requests allowed per minute per service account (Google's quota is 60); paced by {@link io.receiptranger.sheets.sheets.QuotaPacer}. */
        @WithDefault("60")
        int writesPerMinute();

        /** Read requests allowed per minute per service account (Google's quota is 60). */
        @WithDefault("60")
        int readsPerMinute();

        /**
         * Calls of each kind that may go at once after a quiet spell (the token bucket's size); past
         * them calls are spaced {@code 60 s / per-minute} apart, and never more than the per-minute
         * number start in any 60 s. 30: a spike of a few dozen receipts arrives as that many small
         * batches (each one read and one write) before the batches grow; half the minute's quota lets it
         * through unspaced and still leaves the other half for the rest of the minute.
         */
        @WithDefault("30")
        int burst();

        /** How long the list of a spreadsheet's tabs is cached. */
        @WithDefault("10m")
        Duration tabCacheTtl();

        /** Back-off on 429 and 5xx answers. */
        Backoff backoff();
    }

    /** Truncated exponential back-off with jitter: {@code min(initial × 2^n, max)}, each wait randomised down to half. */
    interface Backoff {

        /** First wait. */
        @WithDefault("1s")
        Duration initial();

        /** Longest wait (the truncation). */
        @WithDefault("64s")
        Duration max();
    }

    interface Ledger {

        /** The compacted topic holding the ledger. */
        @WithDefault("sheets-ledger")
        String topic();

        /** How long a batch waits for this replica's copy of the ledger to catch up before it is retried. */
        @WithDefault("30s")
        Duration catchUpTimeout();
    }
}
