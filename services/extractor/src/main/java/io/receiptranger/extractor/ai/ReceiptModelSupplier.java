package io.receiptranger.extractor.ai;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import io.quarkiverse.langchain4j.openai.QuarkusOpenAiChatModelBuilderFactory;
import io.quarkiverse.langchain4j.runtime.NamedConfigUtil;
import io.quarkus.arc.Arc;
import io.receiptranger.extractor.config.ExtractorConfig;

/**
 * Builds the OpenAI chat model the way quarkus-langchain4j does (same Quarkus REST client, same
 * {@code quarkus.langchain4j.openai.*} settings) with one difference: the client's own retry is off
 * ({@code maxRetries(0)}). Quarkus refuses {@code max-retries=0}, and its retry would repeat every
 * failure at once — 401 and insufficient_quota included — ignoring Retry-After; {@link ModelClient}
 * owns the retry policy instead. Sampling settings are sent only when configured. The AI service gets a
 * {@link RoutedChatModel}, so an owner's receipt can be read with the owner's endpoint, key and model.
 */
public class ReceiptModelSupplier implements Supplier<ChatModel> {

    @Override
    public ChatModel get() {
        Config config = ConfigProvider.getConfig();
        ExtractorConfig ranger = Arc.container().instance(ExtractorConfig.class).get();
        return new RoutedChatModel(build(config.getValue("quarkus.langchain4j.openai.base-url", String.class),
                config.getValue("quarkus.langchain4j.openai.api-key", String.class), ranger.model().name()));
    }

    /** A chat model for this endpoint, key and model name, with every other setting the deployment's. */
    static ChatModel build(String baseUrl, String apiKey, String modelName) {
        Config config = ConfigProvider.getConfig();
        ExtractorConfig ranger = Arc.container().instance(ExtractorConfig.class).get();
        OpenAiChatModel.OpenAiChatModelBuilder builder = OpenAiChatModel.builder();
        if (builder instanceof QuarkusOpenAiChatModelBuilderFactory.Builder quarkus) {
            quarkus.configName(NamedConfigUtil.DEFAULT_NAME);
        }
        builder.baseUrl(baseUrl)
                .apiKey(apiKey)
                .modelName(modelName)
                .timeout(ranger.model().timeout())
                .maxRetries(0)
                .logRequests(false)
                .logResponses(false)
                .responseFormat("json_schema")
                .strictJsonSchema(true)
                .listeners(List.of(Arc.container().instance(TokenUsageMetrics.class).get()));
        optionalDouble(config, "quarkus.langchain4j.openai.chat-model.temperature").ifPresent(builder::temperature);
        optionalDouble(config, "quarkus.langchain4j.openai.chat-model.top-p").ifPresent(builder::topP);
        return builder.build();
    }

    private static Optional<Double> optionalDouble(Config config, String name) {
        return config.getOptionalValue(name, String.class).filter(s -> !s.isBlank()).map(Double::valueOf);
    }
}
