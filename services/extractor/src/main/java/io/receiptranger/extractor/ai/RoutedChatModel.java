package io.receiptranger.extractor.ai;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import dev.langchain4j.model.ModelProvider;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.listener.ChatModelListener;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ChatRequestParameters;
import dev.langchain4j.model.chat.response.ChatResponse;

/**
 * The chat model behind the {@link ReceiptExtractor} AI service: the deployment's model, unless the
 * calling thread is reading a receipt with an owner's own model ({@link #with}). The AI service keeps
 * one prompt, schema and parser for everyone; only the endpoint, key and model name change per call.
 * The owner's model name replaces the deployment's in the request (the AI service fills it in from
 * the deployment's defaults).
 */
final class RoutedChatModel implements ChatModel {

    private static final ThreadLocal<ChatModel> CURRENT = new ThreadLocal<>();

    private final ChatModel deployment;

    RoutedChatModel(ChatModel deployment) {
        this.deployment = deployment;
    }

    /** Runs {@code call} with {@code model} answering the AI service's requests on this thread. */
    static <T> T with(ChatModel model, Callable<T> call) throws Exception {
        ChatModel previous = CURRENT.get();
        CURRENT.set(model);
        try {
            return call.call();
        } finally {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
        }
    }

    private ChatModel target() {
        ChatModel current = CURRENT.get();
        return current == null ? deployment : current;
    }

    @Override
    public ChatResponse chat(ChatRequest request) {
        ChatModel target = target();
        if (target == deployment) {
            return deployment.chat(request);
        }
        ChatRequestParameters own = ChatRequestParameters.builder()
                .modelName(target.defaultRequestParameters().modelName()).build();
        ChatRequestParameters parameters = request.parameters() == null ? own : request.parameters().overrideWith(own);
        return target.chat(request.toBuilder().parameters(parameters).build());
    }

    @Override
    public ChatResponse doChat(ChatRequest request) {
        return chat(request);
    }

    @Override
    public ChatRequestParameters defaultRequestParameters() {
        return deployment.defaultRequestParameters();
    }

    @Override
    public List<ChatModelListener> listeners() {
        // Each target model notifies its own listeners (token metrics); counting here too would count twice.
        return List.of();
    }

    @Override
    public ModelProvider provider() {
        return deployment.provider();
    }

    @Override
    public Set<Capability> supportedCapabilities() {
        return deployment.supportedCapabilities();
    }
}
