package io.receiptranger.ingest;

import java.time.Instant;
import java.util.List;

/**
 * The owner changed a receipt (topic {@code receipt-corrections}, key = receiptId, CONTRACT §2): the
 * ingest produces it, the sheets-sink applies it once per {@code correctionId}. Fields left null are
 * unchanged; {@code date} "" makes the receipt undated.
 *
 * @param action {@code CORRECT}, {@code DELETE}, {@code UNDO} (of {@code undoes}), {@code ACCEPT} or
 *               {@code DISCARD} (a receipt held for review)
 */
public record ReceiptCorrected(String correctionId, String receiptId, String owner, String by, Instant at, String action,
        String amount, String date, String vendor, List<String> categories, String undoes) {

    public static final String CORRECT = "CORRECT";
    public static final String DELETE = "DELETE";
    public static final String UNDO = "UNDO";
    public static final String ACCEPT = "ACCEPT";
    public static final String DISCARD = "DISCARD";
}
