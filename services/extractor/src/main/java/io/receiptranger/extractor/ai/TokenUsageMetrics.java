package io.receiptranger.extractor.ai;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;

/**
 * Records the tokens every model call used: {@code ranger.model.tokens{type=input|output,model}}.
 * Looked up by {@link ReceiptModelSupplier}, hence unremovable.
 */
@Unremovable
@ApplicationScoped
public class TokenUsageMetrics implements ChatModelListener {

    private final MeterRegistry metrics;

    public TokenUsageMetrics(MeterRegistry metrics) {
        this.metrics = metrics;
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        TokenUsage usage = context.chatResponse().tokenUsage();
        if (usage == null) {
            return;
        }
        String model = String.valueOf(context.chatResponse().modelName());
        if (usage.inputTokenCount() != null) {
            metrics.counter("ranger.model.tokens", "type", "input", "model", model).increment(usage.inputTokenCount());
        }
        if (usage.outputTokenCount() != null) {
            metrics.counter("ranger.model.tokens", "type", "output", "model", model).increment(usage.outputTokenCount());
        }
    }
}
