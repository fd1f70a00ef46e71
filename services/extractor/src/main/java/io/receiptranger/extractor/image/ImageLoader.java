package io.receiptranger.extractor.image;

import java.util.Base64;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.receiptranger.extractor.ReceiptSubmitted.ImageRef;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Reads a record's image by reference (claim check) or inline: {@code image.uri} through the
 * {@link BlobReader} of the configured store ({@code file:} or {@code s3://}, confined to it), or
 * {@code image.base64} of at most 512 KiB. Anything else is refused with a reason. Only JPEG, PNG
 * and WebP pass; the result is checked and downscaled by the normaliser.
 */
@ApplicationScoped
public class ImageLoader {

    private final BlobReader blobs;
    private final int maxInlineBytes;
    private final ImageNormaliser normaliser;

    @Inject
    public ImageLoader(BlobReader blobs, ExtractorConfig config, ImageNormaliser normaliser) {
        this(blobs, config.rules().maxInlineImageBytes(), normaliser);
    }

    ImageLoader(BlobReader blobs, int maxInlineBytes, ImageNormaliser normaliser) {
        this.blobs = blobs;
        this.maxInlineBytes = maxInlineBytes;
        this.normaliser = normaliser;
    }

    public ReceiptImage load(ImageRef ref) throws InvalidImageException {
        if (ref == null || (blank(ref.uri()) && blank(ref.base64()))) {
            throw new InvalidImageException("The record has no image: expected image.uri or image.base64.");
        }
        byte[] bytes = blank(ref.base64()) ? blobs.read(ref.uri().trim()) : decodeInline(ref.base64());
        ImageFormat format = ImageFormat.sniff(bytes).orElseThrow(() -> new InvalidImageException(
                "The image is not a JPEG, PNG or WebP file (checked by its content)."));
        return normaliser.normalise(new ReceiptImage(bytes, format));
    }

    private byte[] decodeInline(String base64) throws InvalidImageException {
        String compact = base64.replaceAll("\\s", "");
        if (compact.startsWith("data:")) {
            int comma = compact.indexOf(',');
            compact = comma < 0 ? "" : compact.substring(comma + 1);
        }
        // Check the size before allocating: 4 characters carry 3 bytes.
        if ((long) compact.length() / 4 * 3 > maxInlineBytes + 3L) {
            throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024)
                    + " KiB; put it in the blob store and send image.uri instead.");
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(compact);
            if (bytes.length > maxInlineBytes) {
                throw new InvalidImageException("The inline image is larger than " + (maxInlineBytes / 1024) + " KiB.");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new InvalidImageException("image.base64 is not valid base64.");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
