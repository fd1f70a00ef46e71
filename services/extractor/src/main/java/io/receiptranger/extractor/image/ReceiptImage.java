package io.receiptranger.extractor.image;

import java.util.Base64;

/** Image bytes we checked, with their real format. */
public record ReceiptImage(byte[] bytes, ImageFormat format) {

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
