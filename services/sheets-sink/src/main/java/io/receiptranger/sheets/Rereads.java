package io.receiptranger.sheets;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.logging.Log;
import io.receiptranger.sheets.ledger.Ledger;
import io.receiptranger.sheets.sheets.SheetsConnection;

/**
 * What a new reading of a receipt the ledger already knows does (CONTRACT §2, ReceiptRereadRequested):
 * <ul>
 *   <li>a re-read of a {@code WRITTEN} receipt changes nothing in the sheet: its values are recorded in
 *       the history beside the old ones ({@code OFFERED} when they differ) for the owner to keep either;</li>
 *   <li>a re-read of a receipt that was not written ({@link LedgerEntry#REREADABLE}) sends it down the
 *       normal path again, its history carried along, to one new terminal stage;</li>
 *   <li>a {@code FAILED} receipt also gives way to a later reading that is not a re-read (an operator
 *       replayed its {@code receipts-dlq} record): another {@code extractedAt} is another reading;</li>
 *   <li>everything else is a redelivery: the stage reached is published again, never a second row.</li>
 * </ul>
 * A re-read is handled once per {@code rereadId}: its id is in the entry's history from then on.
 */
@ApplicationScoped
class Rereads {

    /** What to do with one extraction of a known receipt. */
    sealed interface Decision {
        /** Publish the stage it reached again: nothing else. */
        record Redelivered(LedgerEntry entry) implements Decision {
        }

        /** Recorded in the history beside the written receipt's values; the stage is published again. */
        record Offered(LedgerEntry entry) implements Decision {
        }

        /** Goes the normal way from {@code base} (the new reading's draft, carrying the entry's history). */
        record Reopened(LedgerEntry base) implements Decision {
        }
    }

    private final Ledger ledger;
    private final SheetsConnection connection;
    private final Clock clock;

    @Inject
    Rereads(Ledger ledger, SheetsConnection connection) {
        this(ledger, connection, Clock.systemUTC());
    }

    Rereads(Ledger ledger, SheetsConnection connection, Clock clock) {
        this.ledger = ledger;
        this.connection = connection;
        this.clock = clock;
    }

    /** The decision for {@code e}, whose receipt the ledger holds as {@code known} (terminal, or PENDING from an earlier re-read). */
    Decision decide(LedgerEntry known, ReceiptExtracted e, LedgerEntry draft) {
        if (e.reread()) {
            if (known.handled(e.rereadId())) {
                // Redelivered; a PENDING entry from this re-read is finished by the normal path (it reads the sheet).
                return known.terminal() ? new Decision.Redelivered(known) : new Decision.Reopened(known.historyInto(draft));
            }
            if (known.inTable()) {
                return new Decision.Offered(known);
            }
            if (LedgerEntry.REREADABLE.contains(known.state())) {
                Correction note = new Correction(e.rereadId(), ReceiptCorrected.REREAD, known.owner(), clock.instant(), known.fields(),
                        draft.fields(), known.tab(), known.row(), null, null, Correction.APPLIED,
                        "read again (it had ended " + known.state() + ": " + Objects.toString(known.detail(), "") + ")", null);
                return new Decision.Reopened(known.historyInto(draft).withHistory(note));
            }
            Log.infof("Re-read %s of %s ignored: the receipt is %s", e.rereadId(), e.receiptId(), known.state());
            return new Decision.Redelivered(known);
        }
        if (LedgerEntry.FAILED.equals(known.state()) && !Objects.equals(known.extractedAt(), e.extractedAt())) {
            return new Decision.Reopened(known.historyInto(draft));
        }
        return new Decision.Redelivered(known);
    }

    /**
     * Records a re-read of a written receipt in its history: {@code OFFERED} with the new values when
     * they differ, else a sentence saying why nothing changes. Under the spreadsheet's write lock, read
     * afresh, so a correction in flight keeps its marker.
     */
    void offer(LedgerEntry known, ReceiptExtracted e, LedgerEntry draft, Bookkeeping book) {
        Runnable record = () -> {
            LedgerEntry now = ledger.get(known.receiptId()).orElse(known);
            if (now.handled(e.rereadId())) {
                return;
            }
            book.record(List.of(now.withNote(note(now, e, draft))));
        };
        Optional<String> spreadsheet = Optional.ofNullable(known.spreadsheetId());
        if (spreadsheet.isPresent() && connection.writer().isPresent()) {
            connection.writer().get().exclusively(spreadsheet.get(), record);
        } else {
            record.run();
        }
    }

    private Correction note(LedgerEntry now, ReceiptExtracted e, LedgerEntry draft) {
        Correction.Fields before = now.fields();
        Instant at = clock.instant();
        if (!ReceiptExtracted.EXTRACTED.equals(e.outcome()) || e.receipt() == null) {
            String why = switch (e.outcome()) {
                case ReceiptExtracted.FAILED -> "it could not be read";
                case ReceiptExtracted.NOT_A_RECEIPT -> "it was not read as a receipt";
                case ReceiptExtracted.EXCLUDED -> "it was excluded";
                default -> "no values came back";
            };
            String reason = e.reason() == null || e.reason().isBlank() ? "" : " (" + e.reason() + ")";
            return new Correction(e.rereadId(), ReceiptCorrected.REREAD, now.owner(), at, before, null, now.tab(), now.row(), null, null,
                    Correction.REFUSED, "Read again, " + why + reason + ". The receipt keeps its values.", null);
        }
        Correction.Fields after = draft.fields();
        if (same(before, after)) {
            return new Correction(e.rereadId(), ReceiptCorrected.REREAD, now.owner(), at, before, after, now.tab(), now.row(), null, null,
                    Correction.REFUSED, "Read again: the same values.", null);
        }
        return new Correction(e.rereadId(), ReceiptCorrected.REREAD, now.owner(), at, before, after, now.tab(), now.row(), null, null,
                Correction.OFFERED, "Read again: " + differences(before, after) + ". Keep the new values or the old ones.", null);
    }

    static boolean same(Correction.Fields a, Correction.Fields b) {
        return Normalize.amountKey(a.amount()).equals(Normalize.amountKey(b.amount())) && Objects.equals(a.date(), b.date())
                && Objects.equals(a.vendor(), b.vendor()) && a.categories().equals(b.categories());
    }

    private static String differences(Correction.Fields a, Correction.Fields b) {
        List<String> out = new ArrayList<>();
        if (!Normalize.amountKey(a.amount()).equals(Normalize.amountKey(b.amount()))) {
            out.add("amount " + show(a.amount()) + " → " + show(b.amount()));
        }
        if (!Objects.equals(a.date(), b.date())) {
            out.add("date " + show(a.date()) + " → " + show(b.date()));
        }
        if (!Objects.equals(a.vendor(), b.vendor())) {
            out.add("vendor " + show(a.vendor()) + " → " + show(b.vendor()));
        }
        if (!a.categories().equals(b.categories())) {
            out.add("category " + String.join(", ", a.categories()) + " → " + String.join(", ", b.categories()));
        }
        return String.join("; ", out);
    }

    private static String show(String v) {
        return v == null || v.isBlank() ? "none" : v;
    }
}
