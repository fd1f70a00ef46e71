package io.receiptranger.extractor.ai;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.data.message.ImageContent;
import io.receiptranger.extractor.image.ReceiptImage;

/** Calls the vision model for one reading. */
@ApplicationScoped
public class ModelClient {

    private final ReceiptExtractor extractor;

    public ModelClient(ReceiptExtractor extractor) {
        this.extractor = extractor;
    }

    /** One reading of the image, with the number of calls it took. */
    public record Answer(ReceiptReading reading, int attempts) {
    }

    public Answer read(ReceiptImage image, String today, String criteria) throws ModelFailedException {
        ImageContent content = ImageContent.from(image.base64(), image.format().mimeType(),
                ImageContent.DetailLevel.HIGH);
        try {
            ReceiptReading reading = extractor.extract(content, today, criteria);
            if (reading == null) {
                throw new ModelFailedException("The model returned no answer.", 1, null);
            }
            return new Answer(reading, 1);
        } catch (RuntimeException e) {
            throw new ModelFailedException("The model call failed: " + e.getClass().getSimpleName(), 1, e);
        }
    }
}
