package io.receiptranger.sheets.ledger;

/** Kafka could not store or serve the ledger right now; the batch is retried after a back-off. */
public class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
