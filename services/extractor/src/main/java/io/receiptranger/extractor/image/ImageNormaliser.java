package io.receiptranger.extractor.image;

import jakarta.enterprise.context.ApplicationScoped;

/** Makes an accepted image fit for the model (phase 1: unchanged). */
@ApplicationScoped
public class ImageNormaliser {

    public ReceiptImage normalise(ReceiptImage image) {
        return image;
    }
}
