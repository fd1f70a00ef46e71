package io.receiptranger.extractor.ai;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.client.ClientRequestContext;
import jakarta.ws.rs.client.ClientResponseContext;
import jakarta.ws.rs.client.ClientResponseFilter;
import jakarta.ws.rs.ext.Provider;

/**
 * The OpenAI client turns an error response into an exception that keeps the status and the body but
 * drops the headers, so {@code Retry-After} would be lost. This filter (registered for the REST
 * clients by {@code @Provider}) copies it into the error body as {@code [retry-after=N]}, where
 * {@link FailureClassifier} reads it back.
 */
@Provider
public class RetryAfterCapture implements ClientResponseFilter {

    @Override
    public void filter(ClientRequestContext request, ClientResponseContext response) throws IOException {
        if (response.getHeaders() == null) {
            return;
        }
        String retryAfter = response.getHeaderString("Retry-After");
        if (retryAfter == null || response.getStatus() < 400 || !request.getUri().getPath().endsWith("/chat/completions")) {
            return;
        }
        byte[] body = response.hasEntity() ? response.getEntityStream().readAllBytes() : new byte[0];
        String marked = "[retry-after=" + retryAfter.trim().replaceAll("[^0-9.]", "") + "] "
                + new String(body, StandardCharsets.UTF_8);
        response.setEntityStream(new ByteArrayInputStream(marked.getBytes(StandardCharsets.UTF_8)));
    }
}
