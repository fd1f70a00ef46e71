package io.receiptranger.ingest.ops;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.websockets.next.OpenConnections;

/** {@code ranger_websocket_clients}: progress sockets open on this replica (sum across replicas). */
@ApplicationScoped
public class WebSocketMetrics {

    private final OpenConnections connections;
    private final MeterRegistry registry;

    public WebSocketMetrics(OpenConnections connections, MeterRegistry registry) {
        this.connections = connections;
        this.registry = registry;
    }

    void register(@Observes StartupEvent event) {
        Gauge.builder("ranger.websocket.clients", connections, c -> c.listAll().size())
                .description("Open progress WebSockets").register(registry);
    }
}
