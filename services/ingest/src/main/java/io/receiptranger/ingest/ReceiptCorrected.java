package io.receiptranger.ingest;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The owner changed a receipt (topic {@code receipt-corrections}, key = receiptId, CONTRACT §2): the
 * ingest produces it, the sheets-sink applies it once per {@code correctionId}. Fields left null are
 * unchanged; {@code date} "" makes the receipt undated.
 *
 * @param action {@code CORRECT}, {@code DELETE}, {@code UNDO} (of {@code undoes}), {@code ACCEPT} or
 *               {@code DISCARD} (a receipt held for review), {@code DISMISS} (the re-read {@code rereadId} set aside)
 */
public record ReceiptCorrected(String correctionId, String receiptId, String owner, String by, Instant at, String action,
        String amount, String date, String vendor, List<String> categories, String undoes,
        @JsonInclude(JsonInclude.Include.NON_NULL) String rereadId) {

    /** A change that is not about a re-read ({@code rereadId} left out). */
    public ReceiptCorrected(String correctionId, String receiptId, String owner, String by, Instant at, String action, String amount,
            String date, String vendor, List<String> categories, String undoes) {
        this(correctionId, receiptId, owner, by, at, action, amount, date, vendor, categories, undoes, null);
    }

    public static final String CORRECT = "CORRECT";
    public static final String DELETE = "DELETE";
    public static final String UNDO = "UNDO";
    public static final String ACCEPT = "ACCEPT";
    public static final String DISCARD = "DISCARD";
    /** The owner keeps the values a receipt had: the re-read {@code rereadId} is set aside. */
    public static final String DISMISS = "DISMISS";
}
