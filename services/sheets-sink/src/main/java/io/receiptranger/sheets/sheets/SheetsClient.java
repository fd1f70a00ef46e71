package io.receiptranger.sheets.sheets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpRequestInitializer;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.sheets.v4.Sheets;
import com.google.api.services.sheets.v4.SheetsScopes;
import com.google.api.services.sheets.v4.model.BatchUpdateSpreadsheetRequest;
import com.google.api.services.sheets.v4.model.Request;
import com.google.api.services.sheets.v4.model.Sheet;
import com.google.api.services.sheets.v4.model.Spreadsheet;
import com.google.api.services.sheets.v4.model.ValueRange;
import com.google.auth.http.HttpCredentialsAdapter;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;

import io.receiptranger.sheets.config.SinkConfig;

/**
 * The three Google Sheets calls the sink makes, on the official client: the tab list
 * ({@code spreadsheets.get}, metadata only), one {@code values.batchGet} of whole tabs (formatted,
 * as a user sees them), and one atomic {@code spreadsheets.batchUpdate} carrying every new tab and
 * row of a batch. Every failure becomes a {@link SheetsException} that says whether to retry.
 */
public class SheetsClient {

    static {
        // The JDK's HttpURLConnection silently re-sends a POST once when the connection fails before
        // the answer: for an appendCells that already landed that is a second copy of every row.
        // The sink retries itself, after re-reading the sheet.
        System.setProperty("sun.net.http.retryPost", "false");
    }

    private final Sheets sheets;
    private final String serviceAccountEmail;
    private final QuotaPacer writes;
    private final QuotaPacer reads;

    public SheetsClient(Sheets sheets, String serviceAccountEmail, QuotaPacer writes, QuotaPacer reads) {
        this.sheets = sheets;
        this.serviceAccountEmail = serviceAccountEmail;
        this.writes = writes;
        this.reads = reads;
    }

    /** Builds a client from the configured credentials; throws {@link SheetsException} (permanent) when they are unusable. */
    public static SheetsClient create(SinkConfig.Sheets config) {
        ServiceAccountCredentials credentials = credentials(config);
        GoogleCredentials scoped = credentials.createScoped(List.of(SheetsScopes.SPREADSHEETS));
        HttpCredentialsAdapter adapter = new HttpCredentialsAdapter(scoped);
        HttpRequestInitializer initializer = request -> {
            adapter.initialize(request);
            request.setConnectTimeout((int) config.connectTimeout().toMillis());
            request.setReadTimeout((int) config.readTimeout().toMillis());
        };
        String root = config.rootUrl().endsWith("/") ? config.rootUrl() : config.rootUrl() + "/";
        Sheets sheets = new Sheets.Builder(new NetHttpTransport(), GsonFactory.getDefaultInstance(), initializer)
                .setRootUrl(root)
                .setApplicationName("receipt-ranger-sheets-sink")
                .build();
        return new SheetsClient(sheets, credentials.getClientEmail(),
                // One client per service account, so one pacer each for its reads and its writes, as Google counts them:
                // spreadsheets.get and values.batchGet are one read each, a batchUpdate one write.
                QuotaPacer.perMinute(config.writesPerMinute(), config.burst()), QuotaPacer.perMinute(config.readsPerMinute(), config.burst()));
    }

    private static ServiceAccountCredentials credentials(SinkConfig.Sheets config) {
        try (InputStream in = keyStream(config)) {
            return ServiceAccountCredentials.fromStream(in);
        } catch (IOException | IllegalArgumentException e) {
            // The message of the library can quote the key; ours names only the source.
            throw SheetsException.configuration("the Google service-account key could not be read from "
                    + (config.credentials().isPresent() ? "GOOGLE_SHEETS_CREDENTIALS (expected base64 of the JSON key file)"
                            : "GOOGLE_APPLICATION_CREDENTIALS (" + config.credentialsFile().orElse("") + ")"));
        }
    }

    private static InputStream keyStream(SinkConfig.Sheets config) throws IOException {
        if (config.credentials().isPresent()) {
            return new ByteArrayInputStream(Base64.getMimeDecoder().decode(config.credentials().get().trim()));
        }
        if (config.credentialsFile().isPresent()) {
            return Files.newInputStream(Path.of(config.credentialsFile().get()));
        }
        throw SheetsException.configuration("no Google credentials: set GOOGLE_SHEETS_CREDENTIALS (base64 of a service-account key)"
                + " or GOOGLE_APPLICATION_CREDENTIALS (its path)");
    }

    /** How long the next batch should gather records before its read and write ({@link QuotaPacer#gather}), nanoseconds. */
    public long gather() {
        return Math.max(reads.gather(), writes.gather());
    }

    public String serviceAccountEmail() {
        return serviceAccountEmail;
    }

    /** The spreadsheet's title: opens it (metadata only), so a sheet not shared with us fails here with its sentence. */
    public String title(String spreadsheetId) {
        return call("title", spreadsheetId, reads, () -> {
            Spreadsheet spreadsheet = sheets.spreadsheets().get(spreadsheetId).setFields("properties.title").execute();
            return spreadsheet.getProperties() == null ? "" : String.valueOf(spreadsheet.getProperties().getTitle());
        });
    }

    /** Tab title → sheetId, in tab order. */
    public Map<String, Integer> tabs(String spreadsheetId) {
        return call("tabs", spreadsheetId, reads, () -> {
            Spreadsheet spreadsheet = sheets.spreadsheets().get(spreadsheetId)
                    .setFields("sheets.properties(sheetId,title,index)").execute();
            Map<String, Integer> tabs = new LinkedHashMap<>();
            if (spreadsheet.getSheets() != null) {
                for (Sheet sheet : spreadsheet.getSheets()) {
                    tabs.put(sheet.getProperties().getTitle(), sheet.getProperties().getSheetId());
                }
            }
            return tabs;
        });
    }

    /** Each tab's rows, as formatted text, up to the last row with data (whole tabs, so row numbers are true). */
    public Map<String, List<List<Object>>> read(String spreadsheetId, List<String> tabs) {
        if (tabs.isEmpty()) {
            return Map.of();
        }
        return call("read", spreadsheetId, reads, () -> {
            List<String> ranges = tabs.stream().map(SheetsClient::quote).toList();
            List<ValueRange> values = sheets.spreadsheets().values().batchGet(spreadsheetId).setRanges(ranges)
                    .setValueRenderOption("FORMATTED_VALUE").setMajorDimension("ROWS").execute().getValueRanges();
            Map<String, List<List<Object>>> out = new LinkedHashMap<>();
            for (int i = 0; i < tabs.size(); i++) {
                List<List<Object>> rows = values != null && i < values.size() ? values.get(i).getValues() : null;
                out.put(tabs.get(i), rows == null ? List.of() : rows);
            }
            return out;
        });
    }

    /** One atomic batchUpdate: all requests apply or none. */
    public void write(String spreadsheetId, List<Request> requests) {
        call("write", spreadsheetId, writes, () -> sheets.spreadsheets()
                .batchUpdate(spreadsheetId, new BatchUpdateSpreadsheetRequest().setRequests(requests)).execute());
    }

    /** A tab name in A1 notation: {@code 'January 2026'} (quotes doubled inside). */
    static String quote(String tab) {
        return "'" + tab.replace("'", "''") + "'";
    }

    private <T> T call(String operation, String spreadsheetId, QuotaPacer pacer, GoogleCall<T> call) {
        pacer.acquire();
        long started = System.nanoTime();
        try {
            T result = call.run();
            SheetsMetrics.request(operation, "ok", started);
            return result;
        } catch (GoogleJsonResponseException e) {
            SheetsMetrics.request(operation, SheetsMetrics.outcomeOf(e.getStatusCode()), started);
            String message = e.getDetails() != null && e.getDetails().getMessage() != null ? e.getDetails().getMessage() : e.getStatusMessage();
            throw SheetsException.fromStatus(e.getStatusCode(), message, spreadsheetId, serviceAccountEmail);
        } catch (HttpResponseException e) {
            SheetsMetrics.request(operation, SheetsMetrics.outcomeOf(e.getStatusCode()), started);
            throw SheetsException.fromStatus(e.getStatusCode(), e.getStatusMessage(), spreadsheetId, serviceAccountEmail);
        } catch (SocketTimeoutException e) {
            SheetsMetrics.request(operation, "timeout", started);
            throw SheetsException.transientFailure("Google Sheets did not answer in time", e);
        } catch (IOException e) {
            SheetsMetrics.request(operation, "unreachable", started);
            // The token exchange fails inside execute(): a refused key is permanent, an unreachable endpoint is not.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof com.google.auth.Retryable retryable && !retryable.isRetryable()) {
                    throw SheetsException.authentication(serviceAccountEmail, e.getMessage());
                }
            }
            throw SheetsException.transientFailure("Google Sheets could not be reached: " + e.getClass().getSimpleName(), e);
        }
    }

    @FunctionalInterface
    private interface GoogleCall<T> {
        T run() throws IOException;
    }
}
