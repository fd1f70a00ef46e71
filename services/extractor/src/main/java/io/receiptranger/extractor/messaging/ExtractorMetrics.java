package io.receiptranger.extractor.messaging;

import java.util.EnumMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.receiptranger.extractor.ReceiptExtracted;

/**
 * The extractor's business counters, all with small fixed label sets (never a receipt, owner or
 * file name): {@code ranger_extractions_total{outcome}} and
 * {@code ranger_dead_letters_total{topic="receipts-dlq",reason}}. Every label value is registered at
 * startup, so a dashboard shows 0 rather than "no data" before the first dead letter.
 */
@ApplicationScoped
public class ExtractorMetrics {

    static final String DLQ = "receipts-dlq";

    private final Map<ReceiptExtracted.Outcome, Counter> outcomes = new EnumMap<>(ReceiptExtracted.Outcome.class);
    private final Map<InvalidReceiptException.Cause, Counter> deadLetters = new EnumMap<>(InvalidReceiptException.Cause.class);

    public ExtractorMetrics(MeterRegistry registry) {
        for (ReceiptExtracted.Outcome outcome : ReceiptExtracted.Outcome.values()) {
            outcomes.put(outcome, Counter.builder("ranger.extractions").description("Receipts the extractor finished, by outcome")
                    .tag("outcome", outcome.name()).register(registry));
        }
        for (InvalidReceiptException.Cause cause : InvalidReceiptException.Cause.values()) {
            deadLetters.put(cause, Counter.builder("ranger.dead.letters").description("Records sent to a dead-letter topic, by reason")
                    .tag("topic", DLQ).tag("reason", cause.label()).register(registry));
        }
    }

    void extracted(ReceiptExtracted.Outcome outcome) {
        outcomes.get(outcome).increment();
    }

    void deadLettered(InvalidReceiptException.Cause cause) {
        deadLetters.get(cause).increment();
    }
}
