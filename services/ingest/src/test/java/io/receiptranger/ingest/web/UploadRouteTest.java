package io.receiptranger.ingest.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** The guard knows the upload route however its path is spelled, and the client behind proxies. */
class UploadRouteTest {

    @Test
    void everySpellingThatReachesTheUploadResourceIsTheUploadRoute() {
        for (String path : List.of("/api/batches", "/api/batches;x=1", "/api/batches/", "/api/batches;x=1/",
                "/api;a=b/batches", "/api/%62atches", "/api/batches%3Bx=1", "//api//batches", "/api/./batches",
                "/api/x/../batches", "/API/Batches")) {
            assertThat(UploadRoute.matches(path)).as(path).isTrue();
        }
        for (String path : List.of("/api/batches/b-1", "/api/batches/b-1/export", "/api/receipts", "/", "/api")) {
            assertThat(UploadRoute.matches(path)).as(path).isFalse();
        }
    }

    @Test
    void withoutTrustedProxiesTheSocketPeerIsTheClientWhateverItForwards() {
        ClientAddress clients = new ClientAddress(Optional.empty());

        assertThat(clients.of("203.0.113.9", List.of("1.2.3.4"))).isEqualTo("203.0.113.9");
    }

    @Test
    void behindTrustedProxiesTheChainIsReadFromTheRightAndAPrependedEntryIsIgnored() {
        ClientAddress clients = new ClientAddress(Optional.of(List.of("10.0.0.0/8", "192.168.1.7")));

        // the client wrote "1.2.3.4", the load balancer (10.0.3.3) appended the address it saw
        assertThat(clients.of("10.0.3.3", List.of("1.2.3.4, 198.51.100.20"))).isEqualTo("198.51.100.20");
        // two proxies, both trusted, each appended
        assertThat(clients.of("192.168.1.7", List.of("6.6.6.6, 198.51.100.20", "10.0.9.9"))).isEqualTo("198.51.100.20");
        // a trusted proxy without the header, and garbage in the chain
        assertThat(clients.of("10.0.3.3", List.of())).isEqualTo("10.0.3.3");
        assertThat(clients.of("10.0.3.3", List.of("evil.example, 10.1.1.1"))).isEqualTo("10.1.1.1");
        // an untrusted peer's header is never read
        assertThat(clients.of("198.51.100.20", List.of("10.0.0.1"))).isEqualTo("198.51.100.20");
        assertThat(new ClientAddress(Optional.of(List.of("2001:db8::/32"))).of("2001:db8::1", List.of("2001:db8::2, 2a00::5")))
                .isEqualTo("2a00::5");
    }
}
