package io.receiptranger.sheets.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import io.receiptranger.sheets.LedgerEntry;
import io.receiptranger.sheets.sheets.SheetsConnection;

/**
 * Links that open a receipt's row in Google Sheets: {@code …/spreadsheets/d/<id>/edit#gid=<tab>&range=A<row>}.
 * The tab's id comes from the cached tab list (no Google call per listing); without it the link
 * opens the spreadsheet at the tab's name.
 */
@ApplicationScoped
public class SheetLinks {

    static final String BASE = "https://docs.google.com/spreadsheets/d/";

    private final SheetsConnection connection;

    public SheetLinks(SheetsConnection connection) {
        this.connection = connection;
    }

    public String rowUrl(LedgerEntry e) {
        if (e.spreadsheetId() == null || e.row() == null || e.tab() == null) {
            return null;
        }
        String url = BASE + URLEncoder.encode(e.spreadsheetId(), StandardCharsets.UTF_8) + "/edit";
        Integer gid = connection.tabCache().peek(e.spreadsheetId()).get(e.tab());
        return gid == null ? url + "#range=" + URLEncoder.encode("'" + e.tab() + "'!A" + e.row(), StandardCharsets.UTF_8).replace("+", "%20")
                : url + "#gid=" + gid + "&range=A" + e.row();
    }
}
