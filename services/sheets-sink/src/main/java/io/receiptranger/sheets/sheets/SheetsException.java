package io.receiptranger.sheets.sheets;

/**
 * A Google Sheets call that failed, classified: {@link Kind#TRANSIENT} (429, 5xx, network: back off
 * and retry), {@link Kind#PERMISSION} (403/404: the receipts fail with a sentence saying what to do),
 * {@link Kind#INVALID} (400: stale tab list or a rejected request), {@link Kind#CONFIGURATION}
 * (credentials unusable).
 */
public class SheetsException extends RuntimeException {

    public enum Kind { TRANSIENT, PERMISSION, INVALID, CONFIGURATION }

    private final Kind kind;
    private final int status;

    SheetsException(Kind kind, int status, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    static SheetsException transientFailure(String message, Throwable cause) {
        return new SheetsException(Kind.TRANSIENT, 0, message, cause);
    }

    static SheetsException configuration(String message) {
        return new SheetsException(Kind.CONFIGURATION, 0, message, null);
    }

    static SheetsException authentication(String email, String googleMessage) {
        String reason = googleMessage == null ? "" : googleMessage.replaceAll("\\s+", " ");
        if (reason.length() > 200) {
            reason = reason.substring(0, 200) + "…";
        }
        return new SheetsException(Kind.CONFIGURATION, 0, "Could not authenticate with Google Sheets as " + email
                + ": Google refused the service-account key (" + reason + "). Check GOOGLE_SHEETS_CREDENTIALS or "
                + "GOOGLE_APPLICATION_CREDENTIALS: the key may have been deleted or revoked", null);
    }

    static SheetsException fromStatus(int status, String googleMessage, String spreadsheetId, String email) {
        if (status == 429 || status >= 500 || status == 408 || status == 401) {
            // 401: the access token expired under us; the credentials adapter refreshes it on the next call.
            return new SheetsException(Kind.TRANSIENT, status, "Google Sheets answered " + status + ": " + googleMessage, null);
        }
        if (status == 403) {
            return new SheetsException(Kind.PERMISSION, status, "Google Sheets refused access to spreadsheet " + spreadsheetId
                    + " (" + googleMessage + "): share the spreadsheet with " + email + " as an Editor", null);
        }
        if (status == 404) {
            return new SheetsException(Kind.PERMISSION, status, "Google Sheets has no spreadsheet " + spreadsheetId
                    + " visible to " + email + ": check GOOGLE_SHEETS_SPREADSHEET_ID (or RANGER_SHEETS_OWNERS) and share the spreadsheet with "
                    + email + " as an Editor", null);
        }
        return new SheetsException(Kind.INVALID, status, "Google Sheets rejected the request (" + status + "): " + googleMessage, null);
    }
}
