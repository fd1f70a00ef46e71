package io.receiptranger.extractor.ocr;

/** The configured OCR engine cannot run here; the message names what to install or set. */
public class OcrUnavailableException extends Exception {

    public static final String TESSERACT = "offline extraction needs Tesseract OCR: install it with "
            + "`apt-get install -y tesseract-ocr tesseract-ocr-eng` (or set OPENAI_API_KEY)";

    public OcrUnavailableException(String message) {
        super(message, null, false, false);
    }

    public OcrUnavailableException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
