package io.receiptranger.ingest.web;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who is calling, for the rate limit. The socket's peer, unless that peer is one of the configured
 * trusted proxies ({@code RANGER_UPLOAD_TRUSTED_PROXIES}, addresses or CIDR ranges): then the
 * {@code X-Forwarded-For} chain is read from the right, past every trusted proxy, and the first
 * address a trusted proxy saw connect is the client. Entries left of it are whatever the client
 * wrote and are never believed (Quarkus's own forwarding takes the leftmost entry, which a client
 * chooses when a load balancer appends).
 */
final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<Range> trusted;

    ClientAddress(Optional<List<String>> trustedProxies) {
        this.trusted = trustedProxies.orElse(List.of()).stream().map(String::strip).filter(s -> !s.isEmpty())
                .map(Range::parse).toList();
    }

    String of(String peer, List<String> forwardedFor) {
        if (peer == null) {
            return "unknown";
        }
        if (trusted.isEmpty() || !isTrusted(peer) || forwardedFor == null) {
            return peer;
        }
        String client = peer;
        for (int h = forwardedFor.size() - 1; h >= 0; h--) {
            String[] entries = forwardedFor.get(h).split(",");
            for (int i = entries.length - 1; i >= 0; i--) {
                String entry = entries[i].strip();
                if (!literal(entry)) {
                    return client;   // garbage: stop at the last address we could vouch for
                }
                client = entry;
                if (!isTrusted(entry)) {
                    return entry;
                }
            }
        }
        return client;
    }

    private boolean isTrusted(String address) {
        byte[] bytes = bytes(address);
        return bytes != null && trusted.stream().anyMatch(r -> r.contains(bytes));
    }

    /** Only IP literals: never a name that would be looked up. */
    private static boolean literal(String s) {
        return bytes(s) != null;
    }

    private static byte[] bytes(String address) {
        String a = address.startsWith("[") && address.endsWith("]") ? address.substring(1, address.length() - 1) : address;
        // An IPv4 dotted quad or an IPv6 literal (has a colon): InetAddress then parses, never resolves.
        boolean v4 = IPV4.matcher(a).matches();
        boolean v6 = a.indexOf(':') >= 0 && a.length() <= 45
                && a.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == '.' || c == ':');
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(a).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address range in CIDR notation (a bare address is a range of one). */
    private record Range(byte[] network, int prefix) {

        static Range parse(String cidr) {
            int slash = cidr.indexOf('/');
            byte[] network = bytes(slash < 0 ? cidr : cidr.substring(0, slash));
            if (network == null) {
                throw new IllegalArgumentException("RANGER_UPLOAD_TRUSTED_PROXIES: \"" + cidr
                        + "\" is not an IP address or CIDR range");
            }
            int prefix = slash < 0 ? network.length * 8 : Integer.parseInt(cidr.substring(slash + 1));
            return new Range(network, prefix);
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = network.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .xor(BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE));
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }
}
