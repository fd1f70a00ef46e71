package io.receiptranger.ingest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** Where a receipt's image is: a blob-store {@code uri} (claim check) or small inline {@code base64}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRef(String uri, String base64) {

    public static ImageRef of(String uri) {
        return new ImageRef(uri, null);
    }
}
