package io.receiptranger.extractor;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.receiptranger.extractor.ai.ModelClient;
import io.receiptranger.extractor.ai.ModelFailedException;
import io.receiptranger.extractor.ai.ReceiptReading;

/** SEED-SPEC §8.1 "Date retry" and "Future dates", restated against a scripted model. */
class DateRetryTest {

    private static final LocalDate TODAY = LocalDate.of(2026, 11, 28);

    static ReceiptReading valid(String date, String total, String vendor) {
        return new ReceiptReading(true, "", total, "", "", "", "USD", date, vendor, List.of("Groceries"), List.of("Card"),
                "", false, "");
    }

    static final ReceiptReading INVALID = new ReceiptReading(false, "Image shows a cat", "", "", "", "", "", "", "",
            List.of(), List.of(), "", false, "");

    /** A model that answers with the scripted readings in order and counts its calls. */
    static final class ScriptedModel implements ExtractionService.Reader {
        final Deque<Object> answers = new ArrayDeque<>();
        int calls;

        ScriptedModel(Object... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public ModelClient.Answer read() throws ModelFailedException {
            calls++;
            Object next = answers.pop();
            if (next instanceof ModelFailedException e) {
                throw e;
            }
            return new ModelClient.Answer((ReceiptReading) next, 1);
        }
    }

    @Test
    void noRetryWhenADateIsPresent() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("01/20/2026", "12.50", "Taco Cabana"));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(model.calls).isEqualTo(1);
        assertThat(result.dateRetried()).isFalse();
        assertThat(result.reading().date()).isEqualTo("01/20/2026");
    }

    @Test
    void aRetryFillsTheDateWhileAmountAndVendorStayFromTheFirstCall() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("", "12.50", "Taco Cabana"), valid("01/15/2026", "99.99", "Other"));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(model.calls).isEqualTo(2);
        assertThat(result.dateRetried()).isTrue();
        assertThat(result.attempts()).isEqualTo(2);
        assertThat(result.reading().date()).isEqualTo("01/15/2026");
        assertThat(result.reading().total()).isEqualTo("12.50");
        assertThat(result.reading().vendor()).isEqualTo("Taco Cabana");
    }

    @Test
    void aRetryThatIsStillEmptyKeepsTheEmptyDate() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("", "12.50", "A"), valid("", "12.50", "A"));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(model.calls).isEqualTo(2);
        assertThat(result.reading().date()).isEmpty();
    }

    @Test
    void anInvalidRetryKeepsTheFirstResult() throws Exception {
        ReceiptReading first = valid("", "12.50", "A");
        ScriptedModel model = new ScriptedModel(first, INVALID);

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(result.reading()).isEqualTo(first);
        assertThat(result.reading().isValidReceipt()).isTrue();
    }

    @Test
    void aFutureDateTriggersARetryAndTheRetrysDateIsUsed() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("12/31/2099", "12.50", "A"), valid("11/27/2026", "1.00", "B"));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(model.calls).isEqualTo(2);
        assertThat(result.reading().date()).isEqualTo("11/27/2026");
    }

    @Test
    void aRetryWithAFutureDateIsNotUsed() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("", "12.50", "A"), valid("12/31/2099", "12.50", "A"));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(result.reading().date()).isEmpty();
    }

    @Test
    void anInvalidFirstResultNeverRetries() throws Exception {
        ScriptedModel model = new ScriptedModel(INVALID);

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(model.calls).isEqualTo(1);
        assertThat(result.dateRetried()).isFalse();
    }

    @Test
    void aFailedRetryKeepsTheFirstReadingAndCountsItsAttempts() throws Exception {
        ScriptedModel model = new ScriptedModel(valid("", "12.50", "A"),
                new ModelFailedException("The model provider failed (HTTP 500)", 3, null));

        ExtractionService.DatedReading result = ExtractionService.readWithDateRetry(model, TODAY, "r");

        assertThat(result.reading().total()).isEqualTo("12.50");
        assertThat(result.attempts()).isEqualTo(4);
        assertThat(result.dateRetried()).isTrue();
    }

    @Test
    void todayIsTheSubmittersDateNotTheServers() {
        // 2026-11-29 03:00 UTC is still the 28th in Chicago: a receipt dated the 29th is in the future there.
        java.time.Instant now = java.time.Instant.parse("2026-11-29T03:00:00Z");
        LocalDate chicago = LocalDate.ofInstant(now, io.receiptranger.extractor.rules.ReceiptDates.zone("America/Chicago"));
        LocalDate utc = LocalDate.ofInstant(now, io.receiptranger.extractor.rules.ReceiptDates.zone(null));

        assertThat(io.receiptranger.extractor.rules.ReceiptDates.isFuture("11/29/2026", chicago)).isTrue();
        assertThat(io.receiptranger.extractor.rules.ReceiptDates.isFuture("11/29/2026", utc)).isFalse();
        assertThat(io.receiptranger.extractor.rules.ReceiptDates.zone("Not/AZone")).isEqualTo(java.time.ZoneId.of("UTC"));
    }
}
