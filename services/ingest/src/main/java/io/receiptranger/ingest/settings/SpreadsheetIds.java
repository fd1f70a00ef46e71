package io.receiptranger.ingest.settings;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A spreadsheet id from what a user pastes: the sheet's address
 * ({@code https://docs.google.com/spreadsheets/d/<id>/edit#gid=0}) or the id itself.
 */
public final class SpreadsheetIds {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{20,128}");
    private static final Pattern PATH = Pattern.compile("/spreadsheets/(?:u/\\d{1,2}/)?d/([A-Za-z0-9_-]{20,128})(?:/.{0,500})?");

    private SpreadsheetIds() {
    }

    public static Optional<String> parse(String pasted) {
        if (pasted == null) {
            return Optional.empty();
        }
        String text = pasted.strip();
        if (text.length() > 1000) {
            return Optional.empty();
        }
        if (ID.matcher(text).matches()) {
            return Optional.of(text);
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (Exception e) {
            return Optional.empty();
        }
        if (!"https".equalsIgnoreCase(uri.getScheme()) || !"docs.google.com".equalsIgnoreCase(uri.getHost())
                || uri.getRawPath() == null) {
            return Optional.empty();
        }
        Matcher m = PATH.matcher(uri.getRawPath());
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The address a user opens. */
    public static String url(String id) {
        return "https://docs.google.com/spreadsheets/d/" + id + "/edit";
    }
}
