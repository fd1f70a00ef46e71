package io.receiptranger.cli.submit;

import java.util.Locale;

/** How one photo of a run ended, in the words of the summary table. */
public enum Outcome {
    WRITTEN("written"),
    DUPLICATE("duplicate"),
    NOT_A_RECEIPT("not a receipt"),
    EXCLUDED("excluded"),
    FAILED("failed");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The outcome of a terminal stage (CONTRACT.md §2), or null while the receipt is still on its way. */
    public static Outcome ofStage(String stage) {
        if (stage == null) {
            return null;
        }
        return switch (stage.toUpperCase(Locale.ROOT)) {
            case "WRITTEN" -> WRITTEN;
            case "DUPLICATE" -> DUPLICATE;
            case "NOT_A_RECEIPT" -> NOT_A_RECEIPT;
            case "EXCLUDED" -> EXCLUDED;
            case "FAILED" -> FAILED;
            default -> null;
        };
    }
}
