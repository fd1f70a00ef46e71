package io.receiptranger.ingest.web;

import java.net.URI;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import io.receiptranger.ingest.config.IngestConfig;

/**
 * Which browser origins may post uploads and open the progress WebSocket ({@code RANGER_ALLOWED_ORIGINS};
 * default: the ingest's own origin, i.e. the Host the request came to). This is what stops another
 * site from driving a visitor's browser against the ingest (CSRF, cross-site WebSocket hijacking).
 * A request without {@code Origin} is not a browser's cross-site request and passes.
 */
@ApplicationScoped
public class Origins {

    private final List<String> allowed;

    public Origins(IngestConfig config) {
        this.allowed = config.allowedOrigins().orElse(List.of()).stream()
                .map(String::strip).filter(s -> !s.isEmpty())
                .map(Origins::normalise).toList();
    }

    public boolean allowed(String origin, String host) {
        if (origin == null || origin.isBlank()) {
            return true;
        }
        if ("null".equals(origin)) {
            return false;
        }
        String o = normalise(origin);
        if (!allowed.isEmpty()) {
            return allowed.contains("*") || allowed.contains(o);
        }
        try {
            String authority = URI.create(o).getAuthority();
            return authority != null && host != null && authority.equalsIgnoreCase(host.strip());
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String normalise(String origin) {
        String o = origin.strip().toLowerCase(Locale.ROOT);
        return o.endsWith("/") ? o.substring(0, o.length() - 1) : o;
    }
}
