package io.receiptranger.ingest.websocket;

import java.util.LinkedHashMap;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.websockets.next.OnClose;
import io.quarkus.websockets.next.OnOpen;
import io.quarkus.websockets.next.PathParam;
import io.quarkus.websockets.next.WebSocket;
import io.quarkus.websockets.next.WebSocketConnection;
import io.receiptranger.ingest.account.CurrentOwner;
import io.receiptranger.ingest.config.IngestConfig;
import io.receiptranger.ingest.view.BatchListener;
import io.receiptranger.ingest.view.BatchSnapshot;
import io.receiptranger.ingest.view.BatchViews;
import io.receiptranger.ingest.view.ReceiptView;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;

/**
 * {@code WS /ws/batches/{batchId}}: one batch's progress (in the shape of super-heroes'
 * EventStatsWebSocket: {@code @OnOpen} returns the stream). First a snapshot, then one status
 * message per change, then {@code complete}. A reconnect simply opens a new stream: fresh snapshot.
 * Only the caller's own batches: another owner's waits and then answers like an unknown one.
 */
@WebSocket(path = "/ws/batches/{batchId}")
public class BatchProgressWebSocket {

    private final BatchViews views;
    private final ObjectMapper json;

    private final Duration unknownBatchWait;
    private final CurrentOwner owner;

    public BatchProgressWebSocket(BatchViews views, ObjectMapper json, IngestConfig config, CurrentOwner owner) {
        this.views = views;
        this.json = json;
        this.owner = owner;
        this.unknownBatchWait = config.views().unknownBatchWait();
    }

    /** What to undo when a connection closes: the returned stream is not cancelled by a close. */
    private final Map<String, Runnable> unsubscribes = new ConcurrentHashMap<>();

    private static final ScheduledExecutorService RETRY = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "batch-socket-retry");
        t.setDaemon(true);
        return t;
    });

    @OnOpen
    public Multi<String> onOpen(@PathParam("batchId") String batchId, WebSocketConnection connection) {
        long deadline = System.nanoTime() + unknownBatchWait.toNanos();
        // The upgrade was authenticated (no identity: 401 before any socket exists); whose socket it is.
        String caller = owner.id();
        return Multi.createFrom().emitter(emitter -> attach(batchId, caller, connection, emitter, deadline));
    }

    /**
     * Subscribes the connection to its batch. A batch this replica has not read yet (the upload went
     * to another replica a moment ago) is waited for a little before the socket is told it is unknown.
     */
    private void attach(String batchId, String caller, WebSocketConnection connection, MultiEmitter<? super String> emitter,
            long deadline) {
        if (emitter.isCancelled() || connection.isClosed()) {
            return;
        }
        var unsubscribe = views.subscribe(batchId, caller, new Forwarder(emitter));
        if (unsubscribe.isPresent()) {
            unsubscribes.put(connection.id(), unsubscribe.get());
            emitter.onTermination(() -> release(connection.id()));
            if (connection.isClosed()) {
                release(connection.id());
            }
            return;
        }
        if (System.nanoTime() - deadline >= 0) {
            emitter.emit(write(Map.of("type", "error", "status", 404,
                    "detail", "There is no batch with this id (it may be older than the topics' retention).")));
            emitter.complete();
            return;
        }
        RETRY.schedule(() -> attach(batchId, caller, connection, emitter, deadline), 250, TimeUnit.MILLISECONDS);
    }

    @OnClose
    public void onClose(WebSocketConnection connection) {
        release(connection.id());
    }

    private void release(String connectionId) {
        Runnable unsubscribe = unsubscribes.remove(connectionId);
        if (unsubscribe != null) {
            unsubscribe.run();
        }
    }

    /** Turns view events into the wire messages of CONTRACT §3. */
    private final class Forwarder implements BatchListener {
        private final MultiEmitter<? super String> emitter;

        Forwarder(MultiEmitter<? super String> emitter) {
            this.emitter = emitter;
        }

        @Override
        public void snapshot(BatchSnapshot snapshot) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "snapshot");
            message.putAll(json.convertValue(snapshot, Map.class));
            emitter.emit(write(message));
        }

        @Override
        public void changed(String batchId, ReceiptView r) {
            Map<String, Object> message = new LinkedHashMap<>();
            message.put("type", "status");
            message.put("receiptId", r.receiptId());
            message.put("batchId", batchId);
            message.put("stage", r.stage());
            message.put("detail", r.detail());
            message.put("service", r.service());
            message.put("at", r.at());
            message.put("fileName", r.fileName());
            if (r.outcome() != null) {
                message.put("outcome", r.outcome());
                message.put("reason", r.reason());
            }
            if (r.receipt() != null) {
                message.put("receipt", r.receipt());
            }
            emitter.emit(write(message));
        }

        @Override
        public void complete(BatchSnapshot snapshot) {
            emitter.emit(write(Map.of("type", "complete", "batchId", snapshot.batchId(), "totals", snapshot.totals())));
        }
    }

    private String write(Object message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
