package io.receiptranger.ingest.account;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.smallrye.jwt.build.Jwt;

/**
 * A small OpenID Connect issuer the tests start themselves, on a free loopback port: discovery,
 * JWKS (its own RSA key), an authorization endpoint with a sign-in form (type an e-mail, press
 * "Sign in"), the token endpoint of the code flow (checks the client secret), and end-session. It
 * also mints bearer tokens for API tests: valid, expired, for another audience, or signed with a
 * key it never published (forged).
 *
 * <p>As a Quarkus test resource it configures the ingest for it: issuer, client, allow-list
 * ({@link #ALICE}, {@link #BOB}, the domain {@code @team.example}), operators ({@link #ALICE}).
 */
public class TestIssuer implements QuarkusTestResourceLifecycleManager {

    public static final String CLIENT_ID = "receipt-ranger";
    public static final String CLIENT_SECRET = "test-client-secret-that-is-long-enough-0123456789";
    public static final String ALICE = "alice@example.com";
    public static final String BOB = "bob@example.com";
    /** Admitted by the domain entry of the allow-list, not by name. */
    public static final String DAVE = "dave@team.example";
    /** A real account of the identity provider that the deployment does not admit. */
    public static final String CAROL = "carol@elsewhere.example";
    /** How many receipts a day each owner may submit, in the tests that use this issuer. */
    public static final int DAILY_LIMIT = 6;

    static volatile TestIssuer running;

    private final KeyPair key = rsa();
    private final KeyPair stranger = rsa();
    private final Map<String, Map<String, String>> codes = new ConcurrentHashMap<>();
    private HttpServer server;
    private String url;

    public static TestIssuer get() {
        return running;
    }

    @Override
    public Map<String, String> start() {
        try {
            // TCP_NODELAY (read once, at the JVM's first HttpServer): no 40 ms Nagle stall per answer.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        url = "http://127.0.0.1:" + server.getAddress().getPort();
        server.createContext("/.well-known/openid-configuration", this::discovery);
        server.createContext("/jwks", this::jwks);
        server.createContext("/authorize", this::authorize);
        server.createContext("/token", this::token);
        server.createContext("/logout", this::logout);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "test-issuer");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        running = this;
        Map<String, String> config = new HashMap<>();
        config.put("ranger.auth.issuer", url);
        config.put("ranger.auth.client-id", CLIENT_ID);
        config.put("ranger.auth.client-secret", CLIENT_SECRET);
        config.put("ranger.auth.allowed-users", ALICE + "," + BOB + ",@team.example");
        config.put("ranger.auth.operators", ALICE);
        config.put("ranger.daily-receipt-limit", String.valueOf(DAILY_LIMIT));
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
        running = null;
    }

    public String url() {
        return url;
    }

    /** A bearer token as the identity provider issues it for this client, valid for 5 minutes. */
    public String token(String email) {
        return sign(email, CLIENT_ID, url, Instant.now().plusSeconds(300), key.getPrivate());
    }

    public String expiredToken(String email) {
        return sign(email, CLIENT_ID, url, Instant.now().minus(Duration.ofMinutes(10)), key.getPrivate());
    }

    /** Valid and signed by the issuer, but meant for another service. */
    public String tokenForAnotherAudience(String email) {
        return sign(email, "some-other-service", url, Instant.now().plusSeconds(300), key.getPrivate());
    }

    /** Looks right, signed with a key the issuer never published. */
    public String forgedToken(String email) {
        return sign(email, CLIENT_ID, url, Instant.now().plusSeconds(300), stranger.getPrivate());
    }

    /** Signed with the right key but naming another issuer. */
    public String tokenFromAnotherIssuer(String email) {
        return sign(email, CLIENT_ID, "https://evil.example", Instant.now().plusSeconds(300), key.getPrivate());
    }

    private static String sign(String email, String audience, String issuer, Instant expires, PrivateKey with) {
        return Jwt.issuer(issuer).audience(audience).subject("sub-" + email.hashCode()).claim("email", email)
                .claim("email_verified", true).issuedAt(expires.minusSeconds(600)).expiresAt(expires)
                .jws().keyId("test-key").sign(with);
    }

    private void discovery(HttpExchange x) throws IOException {
        send(x, 200, "application/json", """
                {"issuer":"%1$s","authorization_endpoint":"%1$s/authorize","token_endpoint":"%1$s/token",
                 "jwks_uri":"%1$s/jwks","end_session_endpoint":"%1$s/logout","response_types_supported":["code"],
                 "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"],
                 "scopes_supported":["openid","email","profile"],"token_endpoint_auth_methods_supported":["client_secret_basic","client_secret_post"]}"""
                .formatted(url));
    }

    private void jwks(HttpExchange x) throws IOException {
        RSAPublicKey pub = (RSAPublicKey) key.getPublic();
        send(x, 200, "application/json", """
                {"keys":[{"kty":"RSA","kid":"test-key","use":"sig","alg":"RS256","n":"%s","e":"%s"}]}"""
                .formatted(b64(pub.getModulus()), b64(pub.getPublicExponent())));
    }

    /** GET: the sign-in form; POST (the form): a code, back to the client. */
    private void authorize(HttpExchange x) throws IOException {
        if ("GET".equals(x.getRequestMethod())) {
            Map<String, String> q = form(x.getRequestURI().getRawQuery());
            if (!CLIENT_ID.equals(q.get("client_id")) || q.get("redirect_uri") == null) {
                send(x, 400, "text/plain", "unknown client");
                return;
            }
            StringBuilder hidden = new StringBuilder();
            for (String name : List.of("redirect_uri", "state", "nonce")) {
                if (q.get(name) != null) {
                    hidden.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"")
                            .append(q.get(name).replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;")).append("\">");
                }
            }
            send(x, 200, "text/html; charset=utf-8", """
                    <!doctype html><html><head><title>Test identity provider</title></head><body>
                    <h1>Sign in to the test identity provider</h1>
                    <form method="post" action="/authorize">%s
                    <label>E-mail <input id="email" name="email" type="email"></label>
                    <button id="sign-in" type="submit">Sign in</button></form></body></html>""".formatted(hidden));
            return;
        }
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String code = UUID.randomUUID().toString();
        codes.put(code, f);
        String redirect = f.get("redirect_uri");
        String location = redirect + (redirect.contains("?") ? "&" : "?") + "code=" + code
                + (f.get("state") == null ? "" : "&state=" + URLEncoder.encode(f.get("state"), StandardCharsets.UTF_8));
        x.getResponseHeaders().add("Location", location);
        send(x, 302, "text/plain", "");
    }

    private void token(HttpExchange x) throws IOException {
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        String basic = x.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
        boolean clientOk = expected.equals(basic) || (CLIENT_ID.equals(f.get("client_id")) && CLIENT_SECRET.equals(f.get("client_secret")));
        Map<String, String> grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (!clientOk || grant == null || !"authorization_code".equals(f.get("grant_type"))) {
            send(x, 400, "application/json", "{\"error\":\"invalid_grant\"}");
            return;
        }
        String email = grant.getOrDefault("email", "");
        Instant exp = Instant.now().plusSeconds(300);
        var id = Jwt.issuer(url).audience(CLIENT_ID).subject("sub-" + email.hashCode()).claim("email", email)
                .claim("email_verified", true).issuedAt(Instant.now()).expiresAt(exp);
        if (grant.get("nonce") != null) {
            id.claim("nonce", grant.get("nonce"));
        }
        String idToken = id.jws().keyId("test-key").sign(key.getPrivate());
        send(x, 200, "application/json", """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":300}"""
                .formatted(token(email), idToken));
    }

    private void logout(HttpExchange x) throws IOException {
        String back = form(x.getRequestURI().getRawQuery()).get("post_logout_redirect_uri");
        if (back != null) {
            x.getResponseHeaders().add("Location", back);
            send(x, 302, "text/plain", "");
        } else {
            send(x, 200, "text/plain", "signed out");
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> out = new HashMap<>();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            if (!kv[0].isEmpty()) {
                out.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String b64(BigInteger n) {
        byte[] bytes = n.toByteArray();
        if (bytes.length > 1 && bytes[0] == 0) {
            bytes = java.util.Arrays.copyOfRange(bytes, 1, bytes.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
