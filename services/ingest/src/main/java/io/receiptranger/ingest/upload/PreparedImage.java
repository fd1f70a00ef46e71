package io.receiptranger.ingest.upload;

/** The image the model will see: encoded bytes, their content type, and their size in pixels. */
public record PreparedImage(byte[] bytes, String contentType, int width, int height) {

    public String extension() {
        return "image/png".equals(contentType) ? "png" : "jpg";
    }
}
