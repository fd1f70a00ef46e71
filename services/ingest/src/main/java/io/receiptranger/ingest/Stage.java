package io.receiptranger.ingest;

/**
 * A receipt's progress (CONTRACT §2). The rank orders the stages; every terminal stage ranks last,
 * so a view can apply "never backwards, never out of a terminal stage" as {@code rank > current}.
 * {@code REVIEW} (held until the owner accepts it) sits between extraction and writing and is not
 * terminal: a batch with a receipt waiting for review is not complete, and its images are kept.
 */
public enum Stage {
    RECEIVED(0), QUEUED(1), EXTRACTING(2), EXTRACTED(3), REVIEW(4), WRITING(5),
    WRITTEN(6), DUPLICATE(6), NOT_A_RECEIPT(6), EXCLUDED(6), FAILED(6);

    private static final int TERMINAL = 6;

    private final int rank;

    Stage(int rank) {
        this.rank = rank;
    }

    public boolean terminal() {
        return rank == TERMINAL;
    }

    /** Whether a receipt at {@code this} stage may move to {@code next}. */
    public boolean mayMoveTo(Stage next) {
        return !terminal() && next.rank > rank;
    }
}
