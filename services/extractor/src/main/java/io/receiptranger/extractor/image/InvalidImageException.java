package io.receiptranger.extractor.image;

/** The record's image cannot be used; the message is the reason a person reads (dead-letter reason). */
public class InvalidImageException extends Exception {

    public InvalidImageException(String message) {
        super(message);
    }

    public InvalidImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
