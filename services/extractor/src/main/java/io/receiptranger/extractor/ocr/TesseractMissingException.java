package io.receiptranger.extractor.ocr;

/** Tesseract is not installed; the message names the one command that installs it. */
public class TesseractMissingException extends Exception {

    public static final String MESSAGE = "offline extraction needs Tesseract OCR: install it with "
            + "`apt-get install -y tesseract-ocr tesseract-ocr-eng` (or set OPENAI_API_KEY)";

    public TesseractMissingException() {
        super(MESSAGE, null, false, false);
    }
}
