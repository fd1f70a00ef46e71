package io.receiptranger.ingest;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A java.net.http WebSocket client that records every text message it receives. */
public final class WebSocketRecorder implements WebSocket.Listener, AutoCloseable {

    public final List<String> messages = new CopyOnWriteArrayList<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    public static WebSocketRecorder open(URI uri) throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        recorder.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(uri, recorder).get(10, TimeUnit.SECONDS);
        return recorder;
    }

    public static WebSocketRecorder open(URI uri, String origin) throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        recorder.socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Origin", origin)
                .buildAsync(uri, recorder).get(10, TimeUnit.SECONDS);
        return recorder;
    }

    public static WebSocketRecorder open(URI uri, java.util.Map<String, String> headers) throws Exception {
        WebSocketRecorder recorder = new WebSocketRecorder();
        var builder = HttpClient.newHttpClient().newWebSocketBuilder();
        headers.forEach(builder::header);
        recorder.socket = builder.buildAsync(uri, recorder).get(10, TimeUnit.SECONDS);
        return recorder;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
