package io.receiptranger.extractor.ai;

import jakarta.enterprise.context.ApplicationScoped;

import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.listener.ChatModelResponseContext;
import dev.langchain4j.model.output.TokenUsage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.Unremovable;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Records the tokens every model call used, {@code ranger_model_tokens_total{type=input|output,model}},
 * and what they cost by the configured price list, {@code ranger_model_cost_usd_total{model}}
 * (an estimate: the provider's bill is the truth). Looked up by {@link ReceiptModelSupplier}, hence
 * unremovable.
 */
@Unremovable
@ApplicationScoped
public class TokenUsageMetrics implements ChatModelListener {

    private static final double MILLION = 1_000_000d;

    private final MeterRegistry metrics;
    private final double inputPrice;
    private final double outputPrice;

    public TokenUsageMetrics(MeterRegistry metrics, ExtractorConfig config) {
        this.metrics = metrics;
        this.inputPrice = config.model().priceInputPerMillion();
        this.outputPrice = config.model().priceOutputPerMillion();
    }

    @Override
    public void onResponse(ChatModelResponseContext context) {
        TokenUsage usage = context.chatResponse().tokenUsage();
        if (usage == null) {
            return;
        }
        String model = String.valueOf(context.chatResponse().modelName());
        double cost = 0;
        if (usage.inputTokenCount() != null) {
            metrics.counter("ranger.model.tokens", "type", "input", "model", model).increment(usage.inputTokenCount());
            cost += usage.inputTokenCount() * inputPrice / MILLION;
        }
        if (usage.outputTokenCount() != null) {
            metrics.counter("ranger.model.tokens", "type", "output", "model", model).increment(usage.outputTokenCount());
            cost += usage.outputTokenCount() * outputPrice / MILLION;
        }
        Counter.builder("ranger.model.cost").baseUnit("usd").description("Estimated cost of the model calls (configured prices)")
                .tag("model", model).register(metrics).increment(cost);
    }
}
