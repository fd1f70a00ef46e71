package io.receiptranger.ingest.account;

/** A request that carries no usable identity (401) or one this deployment does not let in (403), with a sentence. */
public class AccountRefused extends RuntimeException {

    private final int status;

    public AccountRefused(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
