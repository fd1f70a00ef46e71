package io.receiptranger.extractor.keys;

/** A saved model key that cannot be used; the message is the receipt's reason. No cause, no secret. */
public class UndecryptableKeyException extends RuntimeException {

    public UndecryptableKeyException(String message) {
        super(message, null, false, false);
    }
}
