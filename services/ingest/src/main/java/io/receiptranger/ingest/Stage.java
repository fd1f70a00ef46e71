package io.receiptranger.ingest;

/**
 * A receipt's progress (CONTRACT §2). The rank orders the stages; every terminal stage ranks last,
 * so a view can apply "never backwards, never out of a terminal stage" as {@code rank > current}.
 */
public enum Stage {
    RECEIVED(0), QUEUED(1), EXTRACTING(2), EXTRACTED(3), WRITING(4),
    WRITTEN(5), DUPLICATE(5), NOT_A_RECEIPT(5), EXCLUDED(5), FAILED(5);

    private final int rank;

    Stage(int rank) {
        this.rank = rank;
    }

    public boolean terminal() {
        return rank == 5;
    }

    /** Whether a receipt at {@code this} stage may move to {@code next}. */
    public boolean mayMoveTo(Stage next) {
        return !terminal() && next.rank > rank;
    }
}
