package io.receiptranger.cli;

/** How a report is printed: the original's fixed-width table, or an export to paste or pipe. */
enum Format {
    table, tsv, csv, json
}
