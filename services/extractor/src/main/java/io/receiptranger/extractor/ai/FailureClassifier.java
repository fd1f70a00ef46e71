package io.receiptranger.extractor.ai;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.langchain4j.exception.HttpException;

/**
 * What a failed model call means for the receipt:
 * <ul>
 * <li>{@link Kind#TRANSIENT}: 429 (rate limit), 5xx, timeouts, broken connections → back off and retry
 * (honouring Retry-After); all but the 429 also feed the circuit breaker and spend an attempt (a 429
 * is pacing: it halves the adaptive concurrency and waits within the time budget);</li>
 * <li>{@link Kind#FATAL}: 400, 401, 403, 404 and {@code insufficient_quota} → no retry, FAILED now;</li>
 * <li>{@link Kind#GARBAGE}: the provider answered but not with our schema (invalid JSON, refusal) →
 * one more try, then FAILED.</li>
 * </ul>
 */
public final class FailureClassifier {

    private static final Pattern RETRY_AFTER = Pattern.compile("\\[retry-after=([^\\]]*)\\]");

    private FailureClassifier() {
    }

    public enum Kind {
        TRANSIENT, FATAL, GARBAGE
    }

    /** The classification, a reason a person reads, and the server's Retry-After when it sent one. */
    public record Failure(Kind kind, String reason, Optional<Duration> retryAfter) {
    }

    public static Failure classify(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpException http) {
                return fromHttp(http.statusCode(), String.valueOf(http.getMessage()));
            }
        }
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String name = t.getClass().getName();
            String simple = t.getClass().getSimpleName();
            if (simple.contains("Timeout") || name.endsWith("HttpClosedException")
                    || t instanceof java.net.ConnectException || t instanceof java.net.SocketException
                    || t instanceof java.nio.channels.ClosedChannelException
                    || (t instanceof java.io.IOException && !(t instanceof com.fasterxml.jackson.core.JsonProcessingException))
                    || String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT).contains("connection was closed")) {
                return new Failure(Kind.TRANSIENT, simple.contains("Timeout")
                        ? "the model provider did not answer in time" : "the connection to the model provider failed",
                        Optional.empty());
            }
            if (simple.equals("RateLimitException")) {
                return new Failure(Kind.TRANSIENT, "the model provider is rate limiting (HTTP 429)", Optional.empty());
            }
            if (simple.equals("InternalServerException")) {
                return new Failure(Kind.TRANSIENT, "the model provider failed (HTTP 5xx)", Optional.empty());
            }
            if (simple.equals("AuthenticationException")) {
                return new Failure(Kind.FATAL, "the model provider refused the API key (HTTP 401): check OPENAI_API_KEY",
                        Optional.empty());
            }
            if (simple.equals("InvalidRequestException") || simple.equals("ModelNotFoundException")) {
                return new Failure(Kind.FATAL, "the model provider rejected the request: " + shorten(t.getMessage()),
                        Optional.empty());
            }
        }
        return new Failure(Kind.GARBAGE, "the model's answer did not fit the receipt schema ("
                + error.getClass().getSimpleName() + ")", Optional.empty());
    }

    /** Whether the provider refused the call for its rate limit (HTTP 429): the signal to send less. */
    public static boolean isRateLimited(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if ((t instanceof HttpException http && http.statusCode() == 429) || t.getClass().getSimpleName().equals("RateLimitException")) {
                return true;
            }
        }
        return false;
    }

    /** The exception chain as class names and short messages, for logs. */
    public static String chain(Throwable error) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            out.append(out.isEmpty() ? "" : " <- ").append(t.getClass().getSimpleName()).append(": ")
                    .append(shorten(t.getMessage()));
        }
        return out.toString();
    }

    static Failure fromHttp(int status, String body) {
        Optional<Duration> retryAfter = retryAfter(body);
        String cleanBody = RETRY_AFTER.matcher(body).replaceAll("").trim();
        String lower = cleanBody.toLowerCase(Locale.ROOT);
        if (lower.contains("insufficient_quota")) {
            return new Failure(Kind.FATAL, "the model provider account has no quota left (insufficient_quota): "
                    + "check the plan and billing of the OPENAI_API_KEY account", Optional.empty());
        }
        if (status == 429) {
            return new Failure(Kind.TRANSIENT, "the model provider is rate limiting (HTTP 429)", retryAfter);
        }
        if (status == 408 || status >= 500) {
            return new Failure(Kind.TRANSIENT, "the model provider failed (HTTP " + status + ")", retryAfter);
        }
        if (status == 401 || status == 403) {
            return new Failure(Kind.FATAL, "the model provider refused the API key (HTTP " + status
                    + "): check OPENAI_API_KEY", Optional.empty());
        }
        return new Failure(Kind.FATAL, "the model provider rejected the request (HTTP " + status + "): "
                + shorten(errorMessage(cleanBody)), Optional.empty());
    }

    /** Retry-After in seconds (the HTTP-date form is rare for APIs and is ignored). */
    static Optional<Duration> retryAfter(String body) {
        Matcher m = RETRY_AFTER.matcher(body);
        if (!m.find()) {
            return Optional.empty();
        }
        try {
            double seconds = Double.parseDouble(m.group(1).trim());
            return seconds < 0 ? Optional.empty() : Optional.of(Duration.ofMillis((long) (seconds * 1000)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String errorMessage(String body) {
        Matcher m = Pattern.compile("\"message\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
        return m.find() ? m.group(1) : body;
    }

    private static String shorten(String text) {
        if (text == null) {
            return "";
        }
        String s = text.replaceAll("\\s+", " ").trim();
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }
}
