package io.receiptranger.cli.submit;

import java.net.http.WebSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import io.receiptranger.cli.ingest.IngestClient;

/**
 * One uploaded batch followed over its progress socket ({@code WS /ws/batches/{id}}, CONTRACT.md §3):
 * a snapshot, then a status per change, then {@code complete}. Keeps each receipt's latest stage
 * (a terminal stage is never left) and counts receipts per stage for the progress bars. Thread-safe:
 * messages arrive on the HTTP client's threads.
 */
public final class BatchTracker implements WebSocket.Listener {

    /** Stages in the order receipts pass them (CONTRACT.md §2); terminal ones last. */
    public static final List<String> STAGES = List.of("RECEIVED", "QUEUED", "EXTRACTING", "EXTRACTED", "WRITING",
            "WRITTEN", "DUPLICATE", "NOT_A_RECEIPT", "EXCLUDED", "FAILED");

    private final int number;
    private final String batchId;
    private final Map<String, Photo> photoOf;
    private final Map<String, Item> items = new LinkedHashMap<>();
    private final BiConsumer<BatchTracker, List<String>> onChange;
    private final StringBuilder partial = new StringBuilder();
    private volatile String problem;
    private volatile boolean socketClosed;

    private static final class Item {
        String stage = "QUEUED";
        String detail = "";
        String reason;
        JsonNode receipt;
    }

    /**
     * @param photoOf  each accepted receipt id and the photo it is
     * @param onChange told after each message that moved receipts (with their ids, possibly none)
     */
    public BatchTracker(int number, String batchId, Map<String, Photo> photoOf, BiConsumer<BatchTracker, List<String>> onChange) {
        this.number = number;
        this.batchId = batchId;
        this.photoOf = Map.copyOf(photoOf);
        this.onChange = onChange;
        photoOf.keySet().forEach(id -> items.put(id, new Item()));
    }

    public int number() {
        return number;
    }

    public String batchId() {
        return batchId;
    }

    public int size() {
        return photoOf.size();
    }

    /** Whether every receipt reached a terminal stage. */
    public synchronized boolean done() {
        return items.values().stream().allMatch(i -> Outcome.ofStage(i.stage) != null);
    }

    public synchronized int finishedCount() {
        return (int) items.values().stream().filter(i -> Outcome.ofStage(i.stage) != null).count();
    }

    /** Receipts per stage now, in stage order, stages without receipts left out. */
    public synchronized Map<String, Integer> countsByStage() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String stage : STAGES) {
            int n = (int) items.values().stream().filter(i -> stage.equals(i.stage)).count();
            if (n > 0) {
                counts.put(stage, n);
            }
        }
        return counts;
    }

    /** A receipt's stage now, or null for a receipt not of this batch. */
    public synchronized String stage(String receiptId) {
        Item item = items.get(receiptId);
        return item == null ? null : item.stage;
    }

    /** A receipt's result once terminal, else null. */
    public synchronized Result result(String receiptId) {
        Item item = items.get(receiptId);
        Outcome outcome = item == null ? null : Outcome.ofStage(item.stage);
        if (outcome == null) {
            return null;
        }
        return new Result(photoOf.get(receiptId), outcome, item.reason != null && !item.reason.isBlank() ? item.reason : item.detail,
                item.receipt);
    }

    /** Each photo's result; one still on its way when the wait ended is {@code FAILED} with where it stood. */
    public synchronized List<Result> results() {
        List<Result> out = new ArrayList<>();
        items.forEach((id, item) -> {
            Result result = result(id);
            String why = problem != null ? "not followed to its end (last stage " + item.stage + "): " + problem
                    : "did not finish while we waited (last stage " + item.stage + "); it goes on, and a later run will know it once it ends";
            out.add(result != null ? result : new Result(photoOf.get(id), Outcome.FAILED, why, item.receipt));
        });
        return out;
    }

    public java.util.Set<String> receiptIds() {
        return photoOf.keySet();
    }

    public Photo photo(String receiptId) {
        return photoOf.get(receiptId);
    }

    /** Why the socket could not follow this batch (an error message from the ingest), or null. */
    public String problem() {
        return problem;
    }

    public boolean socketClosed() {
        return socketClosed;
    }

    /** Applies one message of the progress socket; unknown types and receipts are ignored. */
    public void apply(JsonNode message) {
        String type = message.path("type").asText();
        List<String> changed = new ArrayList<>();
        synchronized (this) {
            switch (type) {
                case "snapshot" -> message.path("receipts").forEach(r -> {
                    if (update(r.path("receiptId").asText(), r)) {
                        changed.add(r.path("receiptId").asText());
                    }
                });
                case "status" -> {
                    if (update(message.path("receiptId").asText(), message)) {
                        changed.add(message.path("receiptId").asText());
                    }
                }
                case "error" -> problem = message.path("detail").asText("the ingest could not follow this batch");
                default -> {
                }
            }
        }
        if (!changed.isEmpty() || "complete".equals(type) || "error".equals(type)) {
            onChange.accept(this, changed);
        }
    }

    private boolean update(String receiptId, JsonNode r) {
        Item item = items.get(receiptId);
        String stage = r.path("stage").asText("");
        if (item == null || stage.isEmpty() || !STAGES.contains(stage)) {
            return false;
        }
        // A receipt's stage never moves backwards and never leaves a terminal stage.
        if (Outcome.ofStage(item.stage) != null || STAGES.indexOf(stage) < STAGES.indexOf(item.stage)) {
            return false;
        }
        boolean moved = !stage.equals(item.stage);
        item.stage = stage;
        item.detail = r.path("detail").asText(item.detail);
        if (r.hasNonNull("reason") && !r.path("reason").asText().isBlank()) {
            item.reason = r.path("reason").asText();
        }
        if (r.hasNonNull("receipt") && r.path("receipt").isObject()) {
            item.receipt = r.path("receipt");
        }
        return moved;
    }

    // WebSocket.Listener: whole text messages, parsed and applied.

    @Override
    public void onOpen(WebSocket webSocket) {
        socketClosed = false;
        synchronized (partial) {
            partial.setLength(0);
        }
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        String text = null;
        synchronized (partial) {
            partial.append(data);
            if (last) {
                text = partial.toString();
                partial.setLength(0);
            }
        }
        if (text != null) {
            try {
                apply(IngestClient.JSON.readTree(text));
            } catch (JsonProcessingException e) {
                // Not a message of the contract: ignored, the next snapshot tells the truth.
            }
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        socketClosed = true;
        onChange.accept(this, List.of());
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        socketClosed = true;
        onChange.accept(this, List.of());
    }
}
