package io.receiptranger.extractor.ai;

/** The model could not give a usable answer within the retry budget; the message is the reason. */
public class ModelFailedException extends Exception {

    private final int attempts;

    public ModelFailedException(String message, int attempts, Throwable cause) {
        super(message, cause);
        this.attempts = attempts;
    }

    /** Model calls made before giving up. */
    public int attempts() {
        return attempts;
    }
}
