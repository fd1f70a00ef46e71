package io.receiptranger.ingest.view;

import java.time.Instant;

import io.receiptranger.ingest.Stage;

/**
 * Hears every stage change a view accepts (forward only, never out of a terminal stage), with the
 * event timestamps: what the pipeline metrics are computed from. Called under the batch's lock:
 * keep it cheap.
 */
public interface StageObserver {

    StageObserver NONE = (receiptId, from, fromAt, to, toAt, firstAt, service, detail) -> {
    };

    /**
     * @param from the stage left, null for the first one known
     * @param fromAt when that stage was reached (event time), null with {@code from}
     * @param firstAt the earliest event time known for the receipt (its upload)
     * @param service the service that reported {@code to}
     * @param detail what it said
     */
    void moved(String receiptId, Stage from, Instant fromAt, Stage to, Instant toAt, Instant firstAt, String service,
            String detail);
}
