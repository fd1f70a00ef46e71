package io.receiptranger.fakesheets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stateful, in-memory fake of the Google Sheets v4 REST API and Google's OAuth 2.0 token
 * endpoint, speaking exactly what the official {@code google-api-services-sheets} client sends:
 * <ul>
 *   <li>{@code POST /token} (JWT-bearer grant) → an access token;</li>
 *   <li>{@code GET /v4/spreadsheets/{id}} → metadata (and grid data with {@code includeGridData=true});</li>
 *   <li>{@code POST /v4/spreadsheets/{id}:batchUpdate} with {@code addSheet}, {@code appendCells},
 *       {@code updateCells}, {@code deleteDimension} of rows (atomic, like the real API);</li>
 *   <li>{@code GET /v4/spreadsheets/{id}/values/{range}} and {@code GET …/values:batchGet} → FORMATTED
 *       values by default (a date-formatted number shows {@code 1/20/2026}), {@code UNFORMATTED_VALUE} on request;</li>
 *   <li>{@code POST /v4/spreadsheets/{id}/values/{range}:append} ({@code RAW} or {@code USER_ENTERED}).</li>
 * </ul>
 * Unknown spreadsheet → 404; {@link #denyAccess} → 403 "The caller does not have permission";
 * fault hooks ({@link #failNextWrites}, {@link #limitWrites}, {@link #holdNextWrite}) for resilience
 * tests. Formulas are stored, never evaluated (shown as {@value Formats#FORMULA_SHOWN}).
 * Thread-safe: one lock guards the state; held requests wait outside it.
 */
public final class FakeSheets implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String WRITE = "write";
    private static final String READ = "read";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Object lock = new Object();
    private final Map<String, Book> books = new LinkedHashMap<>();
    private final Set<String> denied = new HashSet<>();
    private final Set<String> tokens = Collections.synchronizedSet(new HashSet<>());
    private final List<String> tokenAssertions = new CopyOnWriteArrayList<>();
    private final List<String> requestLog = new CopyOnWriteArrayList<>();
    private final AtomicInteger writeRequests = new AtomicInteger();
    private final AtomicInteger readRequests = new AtomicInteger();
    private final Deque<Integer> failWrites = new ArrayDeque<>();
    private final Deque<Integer> failReads = new ArrayDeque<>();
    private final Deque<HeldWrite> holds = new ArrayDeque<>();
    private final List<HeldWrite> allHolds = new CopyOnWriteArrayList<>();
    private final Deque<Long> writeTimes = new ArrayDeque<>();
    private final Deque<Long> readTimes = new ArrayDeque<>();
    private final AtomicInteger quotaRejections = new AtomicInteger();
    private int readLimit = Integer.MAX_VALUE;
    private Duration readWindow = Duration.ofMinutes(1);
    /** Public keys of the service accounts made by {@link #serviceAccountJson}, by private_key_id. */
    private static final Map<String, java.security.PublicKey> KEYS = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean rejectTokens;
    private int writeLimit = Integer.MAX_VALUE;
    private Duration writeWindow = Duration.ofMinutes(1);

    private FakeSheets(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /** Starts a fake on a free port of localhost. */
    public static FakeSheets start() {
        return start(0);
    }

    /** Starts a fake on the given port of localhost (0 = a free one). */
    public static FakeSheets start(int port) {
        try {
            // TCP_NODELAY on the accepted sockets (read once, when the JVM's first HttpServer starts): without it
            // Nagle's algorithm holds each response's body until the client's delayed ACK, 40 ms a call that a
            // real provider does not add.
            System.setProperty("sun.net.httpserver.nodelay", "true");
            HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
            ExecutorService executor = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-sheets");
                t.setDaemon(true);
                return t;
            });
            FakeSheets fake = new FakeSheets(server, executor);
            server.createContext("/", fake::handle);
            server.setExecutor(executor);
            server.start();
            return fake;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the fake Sheets server", e);
        }
    }

    /** Like {@code http://localhost:1234}, no trailing slash. The Sheets client's root URL is this plus "/". */
    public String baseUrl() {
        return "http://localhost:" + server.getAddress().getPort();
    }

    /** The OAuth token endpoint, for a service account's {@code token_uri}. */
    public String tokenUri() {
        return baseUrl() + "/token";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        allHolds.forEach(HeldWrite::release);
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------- state set-up and inspection

    /** Creates an empty spreadsheet with one tab {@code Sheet1} (like a new spreadsheet in Drive). */
    public void createSpreadsheet(String id) {
        createSpreadsheet(id, "receipt-ranger");
    }

    public void createSpreadsheet(String id, String title) {
        synchronized (lock) {
            Book book = new Book(id, title);
            book.tabs.add(new Tab(0, "Sheet1"));
            books.put(id, book);
        }
    }

    /** The tab titles of a spreadsheet, in order. */
    public List<String> tabs(String id) {
        synchronized (lock) {
            return book(id).tabs.stream().map(t -> t.title).toList();
        }
    }

    /** Every row of a tab up to the last row with data, each up to its last non-empty cell, as a user sees them. */
    public List<List<String>> formattedRows(String id, String tab) {
        synchronized (lock) {
            List<List<String>> out = new ArrayList<>();
            for (List<Cell> row : tab(id, tab).rows) {
                out.add(row.stream().map(Cell::formatted).toList());
            }
            return trim(out);
        }
    }

    /** The stored cells of a tab (kind, value, number format, note), row by row. */
    public List<List<Cell>> cells(String id, String tab) {
        synchronized (lock) {
            return tab(id, tab).rows.stream().map(List::copyOf).toList();
        }
    }

    /** Adds an empty tab, as a user would. */
    public void addTab(String id, String title) {
        synchronized (lock) {
            Book book = book(id);
            book.tabs.add(new Tab(book.nextSheetId(), title));
        }
    }

    /**
     * A row typed by hand by a user, parsed as Sheets parses typing (numbers, {@code $} amounts,
     * {@code 1/20/2026} dates, {@code =} formulas); appended after the last row with data. The tab
     * is created when missing.
     */
    public void typeRow(String id, String tab, String... cells) {
        synchronized (lock) {
            Book book = book(id);
            Tab target = book.find(tab);
            if (target == null) {
                target = new Tab(book.nextSheetId(), tab);
                book.tabs.add(target);
            }
            List<Cell> row = new ArrayList<>();
            for (String cell : cells) {
                row.add(Formats.typed(cell));
            }
            int at = target.lastRowWithData() + 1;
            while (target.rows.size() <= at) {
                target.rows.add(new ArrayList<>());
            }
            target.rows.set(at, row);
        }
    }

    /** A user typing over one cell (1-based row, 0-based column), parsed as {@link #typeRow} parses typing. */
    public void typeCell(String id, String tab, int row, int column, String typed) {
        synchronized (lock) {
            Tab target = tab(id, tab);
            while (target.rows.size() < row) {
                target.rows.add(new ArrayList<>());
            }
            List<Cell> cells = target.rows.get(row - 1);
            while (cells.size() <= column) {
                cells.add(Cell.EMPTY);
            }
            cells.set(column, Formats.typed(typed));
        }
    }

    /** Every call on this spreadsheet answers 403 "The caller does not have permission". */
    public void denyAccess(String id) {
        synchronized (lock) {
            denied.add(id);
        }
    }

    public void allowAccess(String id) {
        synchronized (lock) {
            denied.remove(id);
        }
    }

    /** The next {@code count} write requests (batchUpdate, values append) fail with {@code status} (429, 500, 503…), unapplied. */
    public void failNextWrites(int count, int status) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                failWrites.add(status);
            }
        }
    }

    /** The next {@code count} read requests fail with {@code status}. */
    public void failNextReads(int count, int status) {
        synchronized (lock) {
            for (int i = 0; i < count; i++) {
                failReads.add(status);
            }
        }
    }

    /** Google's per-minute write quota: more than {@code max} writes in any {@code window} get 429, unapplied. */
    public void limitWrites(int max, Duration window) {
        synchronized (lock) {
            writeLimit = max;
            writeWindow = window;
            writeTimes.clear();
        }
    }

    /** Google's per-minute read quota: more than {@code max} reads in any {@code window} get 429. */
    public void limitReads(int max, Duration window) {
        synchronized (lock) {
            readLimit = max;
            readWindow = window;
            readTimes.clear();
        }
    }

    /** Requests refused with 429 by {@link #limitWrites} or {@link #limitReads}. */
    public int quotaRejections() {
        return quotaRejections.get();
    }

    /**
     * The next write request is applied, then its response is held until {@link HeldWrite#release()}:
     * the client sees a request that never answers (as when it dies between "appended" and "acknowledged").
     */
    public HeldWrite holdNextWrite() {
        HeldWrite hold = new HeldWrite();
        synchronized (lock) {
            holds.add(hold);
        }
        allHolds.add(hold);
        return hold;
    }

    /** The token endpoint refuses every grant, as Google does for a deleted or revoked key (400 invalid_grant). */
    public void rejectTokens(boolean reject) {
        rejectTokens = reject;
    }

    /** Write requests served (successful or not). */
    public int writeRequests() {
        return writeRequests.get();
    }

    /** Read requests served (successful or not). */
    public int readRequests() {
        return readRequests.get();
    }

    /** {@code METHOD path?query} of every request, in order. */
    public List<String> requestLog() {
        return List.copyOf(requestLog);
    }

    /** The JWT claims (decoded JSON) of every token request, in order. */
    public List<String> tokenRequests() {
        return List.copyOf(tokenAssertions);
    }

    /** A request that was applied and whose response waits for {@link #release()}. */
    public static final class HeldWrite {
        private final CountDownLatch arrived = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        /** Waits until a write arrived and is being held. */
        public boolean awaitArrival(Duration timeout) throws InterruptedException {
            return arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        public boolean arrived() {
            return arrived.getCount() == 0;
        }

        public void release() {
            released.countDown();
        }

        void park() {
            arrived.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- service accounts

    private static String pemBlock(String label, byte[] der) {
        String armour = "-----";
        return armour + "BEGIN " + label + armour + "\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n" + armour + "END " + label + armour + "\n";
    }

    /**
     * A service-account key file with a freshly generated RSA key (PKCS#8 PEM), accepted by
     * {@code ServiceAccountCredentials.fromStream}; its {@code token_uri} points where you say.
     */
    public static String serviceAccountJson(String clientEmail, String tokenUri) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            // The key is made here, per call; nothing secret is stored in the repository.
            String pem = pemBlock("PRIVATE KEY", pair.getPrivate().getEncoded());
            ObjectNode json = JSON.createObjectNode();
            String project = clientEmail.contains("@") ? clientEmail.substring(clientEmail.indexOf('@') + 1).split("\\.")[0] : "fake-project";
            json.put("type", "service_account");
            json.put("project_id", project);
            String keyId = UUID.randomUUID().toString().replace("-", "");
            KEYS.put(keyId, pair.getPublic());
            json.put("private_key_id", keyId);
            json.put("private_key", pem);
            json.put("client_email", clientEmail);
            json.put("client_id", "1" + Math.abs(clientEmail.hashCode()));
            json.put("auth_uri", "https://accounts.google.com/o/oauth2/auth");
            json.put("token_uri", tokenUri);
            json.put("auth_provider_x509_cert_url", "https://www.googleapis.com/oauth2/v1/certs");
            json.put("client_x509_cert_url", "https://www.googleapis.com/robot/v1/metadata/x509/" + clientEmail.replace("@", "%40"));
            json.put("universe_domain", "googleapis.com");
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange exchange) throws IOException {
        String rawPath = exchange.getRequestURI().getRawPath();
        String rawQuery = exchange.getRequestURI().getRawQuery();
        String method = exchange.getRequestMethod();
        requestLog.add(method + " " + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
        Response response;
        HeldWrite hold = null;
        try {
            // The Google client gzips request bodies (Content-Encoding: gzip).
            String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
            InputStream in = "gzip".equalsIgnoreCase(encoding)
                    ? new java.util.zip.GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody();
            byte[] body = readAll(in);
            if (rawPath.equals("/token") && method.equals("POST")) {
                response = token(new String(body, StandardCharsets.UTF_8));
            } else if (rawPath.startsWith("/v4/spreadsheets/")) {
                String auth = exchange.getRequestHeaders().getFirst("Authorization");
                if (auth == null || !auth.startsWith("Bearer ") || !tokens.contains(auth.substring(7))) {
                    response = error(401, "UNAUTHENTICATED", "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.");
                } else {
                    Call call = route(method, rawPath.substring("/v4/spreadsheets/".length()), query(rawQuery), body);
                    if (call == null) {
                        response = error(404, "NOT_FOUND", "The fake does not serve " + method + " " + rawPath);
                    } else {
                        synchronized (lock) {
                            response = precheck(call);
                            if (response == null) {
                                response = call.action.run();
                                if (call.kind.equals(WRITE) && !holds.isEmpty()) {
                                    hold = holds.poll();
                                }
                            }
                        }
                    }
                }
            } else {
                response = error(404, "NOT_FOUND", "Not found: " + rawPath);
            }
        } catch (BadRequest e) {
            response = error(400, "INVALID_ARGUMENT", e.getMessage());
        } catch (RuntimeException e) {
            response = error(500, "INTERNAL", "fake failure: " + e);
        }
        if (hold != null) {
            hold.park();
        }
        byte[] bytes = JSON.writeValueAsBytes(response.body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        try {
            exchange.sendResponseHeaders(response.status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException e) {
            // The client went away (killed while we held its request): nothing to answer.
        } finally {
            exchange.close();
        }
    }

    /** Access, injected faults and quota, in the order Google would apply them. Caller holds the lock. */
    private Response precheck(Call call) {
        if (call.kind.equals(WRITE)) {
            writeRequests.incrementAndGet();
        } else {
            readRequests.incrementAndGet();
        }
        if (!books.containsKey(call.spreadsheetId)) {
            return error(404, "NOT_FOUND", "Requested entity was not found.");
        }
        if (denied.contains(call.spreadsheetId)) {
            return error(403, "PERMISSION_DENIED", "The caller does not have permission");
        }
        Deque<Integer> faults = call.kind.equals(WRITE) ? failWrites : failReads;
        if (!faults.isEmpty()) {
            return fault(faults.poll());
        }
        boolean write = call.kind.equals(WRITE);
        if (!withinQuota(write ? writeTimes : readTimes, write ? writeLimit : readLimit, write ? writeWindow : readWindow)) {
            quotaRejections.incrementAndGet();
            return write ? fault(429) : error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Read requests' and limit "
                    + "'Read requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.");
        }
        return null;
    }

    private static boolean withinQuota(Deque<Long> times, int limit, Duration window) {
        if (limit == Integer.MAX_VALUE) {
            return true;
        }
        long now = System.nanoTime();
        while (!times.isEmpty() && now - times.peekFirst() >= window.toNanos()) {
            times.pollFirst();
        }
        if (times.size() >= limit) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    private static Response fault(int status) {
        return switch (status) {
            case 429 -> error(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Write requests' and limit "
                    + "'Write requests per minute per user' of service 'sheets.googleapis.com' for consumer 'project_number:0'.");
            case 403 -> error(403, "PERMISSION_DENIED", "The caller does not have permission");
            case 503 -> error(503, "UNAVAILABLE", "The service is currently unavailable.");
            default -> error(status, status >= 500 ? "INTERNAL" : "FAILED_PRECONDITION", "Internal error encountered.");
        };
    }

    private Response token(String form) {
        Map<String, List<String>> params = query(form);
        String grant = first(params, "grant_type");
        String assertion = first(params, "assertion");
        if (!"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(grant) || assertion == null) {
            ObjectNode body = JSON.createObjectNode();
            body.put("error", "invalid_grant");
            body.put("error_description", "expected a JWT-bearer grant");
            return new Response(400, body);
        }
        String[] parts = assertion.split("\\.");
        if (parts.length != 3 || rejectTokens || !signatureValid(parts)) {
            ObjectNode body = JSON.createObjectNode();
            body.put("error", "invalid_grant");
            body.put("error_description", "Invalid JWT Signature.");
            return new Response(400, body);
        }
        tokenAssertions.add(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
        String token = "ya29.fake-" + UUID.randomUUID();
        tokens.add(token);
        ObjectNode body = JSON.createObjectNode();
        body.put("access_token", token);
        body.put("expires_in", 3599);
        body.put("token_type", "Bearer");
        return new Response(200, body);
    }

    /** RS256 check with the key {@link #serviceAccountJson} made; keys made elsewhere are trusted. */
    private static boolean signatureValid(String[] parts) {
        try {
            JsonNode header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            java.security.PublicKey key = KEYS.get(header.path("kid").asText(""));
            if (key == null) {
                return true;
            }
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initVerify(key);
            rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            return rsa.verify(Base64.getUrlDecoder().decode(parts[2]));
        } catch (IOException | java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private Call route(String method, String rest, Map<String, List<String>> query, byte[] body) {
        int slash = rest.indexOf('/');
        String head = slash < 0 ? rest : rest.substring(0, slash);
        String tail = slash < 0 ? null : rest.substring(slash + 1);
        if (tail == null) {
            if (method.equals("GET") && !head.contains(":")) {
                String id = decode(head);
                return new Call(id, READ, () -> metadata(id, query));
            }
            if (method.equals("POST") && head.endsWith(":batchUpdate")) {
                String id = decode(head.substring(0, head.length() - ":batchUpdate".length()));
                return new Call(id, WRITE, () -> batchUpdate(id, parse(body)));
            }
            return null;
        }
        String id = decode(head);
        if (method.equals("GET") && tail.equals("values:batchGet")) {
            return new Call(id, READ, () -> batchGet(id, query));
        }
        if (tail.startsWith("values/")) {
            String range = tail.substring("values/".length());
            if (method.equals("POST") && range.endsWith(":append")) {
                String decoded = decode(range.substring(0, range.length() - ":append".length()));
                return new Call(id, WRITE, () -> append(id, decoded, query, parse(body)));
            }
            if (method.equals("GET")) {
                String decoded = decode(range);
                return new Call(id, READ, () -> {
                    ObjectNode out = valueRange(id, decoded, query);
                    return new Response(200, out);
                });
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- API operations (lock held)

    private Response metadata(String id, Map<String, List<String>> query) {
        Book book = books.get(id);
        ObjectNode out = JSON.createObjectNode();
        out.put("spreadsheetId", id);
        ObjectNode props = out.putObject("properties");
        props.put("title", book.title);
        props.put("locale", "en_US");
        props.put("autoRecalc", "ON_CHANGE");
        props.put("timeZone", "America/Chicago");
        ArrayNode sheets = out.putArray("sheets");
        boolean grid = "true".equals(first(query, "includeGridData"));
        for (int i = 0; i < book.tabs.size(); i++) {
            Tab tab = book.tabs.get(i);
            ObjectNode sheet = sheets.addObject();
            sheet.set("properties", sheetProperties(tab, i));
            if (grid) {
                ArrayNode rowData = sheet.putArray("data").addObject().put("startRow", 0).put("startColumn", 0).putArray("rowData");
                for (List<Cell> row : tab.rows) {
                    ArrayNode values = rowData.addObject().putArray("values");
                    for (Cell cell : row) {
                        ObjectNode c = values.addObject();
                        if (!cell.isEmpty()) {
                            c.set("userEnteredValue", extendedValue(cell));
                            c.put("formattedValue", cell.formatted());
                        }
                        if (cell.note() != null) {
                            c.put("note", cell.note());
                        }
                    }
                }
            }
        }
        out.put("spreadsheetUrl", baseUrl() + "/spreadsheets/d/" + id + "/edit");
        return new Response(200, out);
    }

    private ObjectNode sheetProperties(Tab tab, int index) {
        ObjectNode p = JSON.createObjectNode();
        p.put("sheetId", tab.sheetId);
        p.put("title", tab.title);
        p.put("index", index);
        p.put("sheetType", "GRID");
        p.putObject("gridProperties").put("rowCount", Math.max(1000, tab.rows.size())).put("columnCount", 26);
        return p;
    }

    private Response batchUpdate(String id, JsonNode request) {
        Book original = books.get(id);
        Book book = original.copy();
        JsonNode requests = request.path("requests");
        if (!requests.isArray() || requests.isEmpty()) {
            throw new BadRequest("Invalid requests: at least one request is required.");
        }
        ArrayNode replies = JSON.createArrayNode();
        int i = 0;
        for (JsonNode r : requests) {
            String where = "Invalid requests[" + i + "]";
            if (r.has("addSheet")) {
                JsonNode p = r.path("addSheet").path("properties");
                String title = p.path("title").asText(null);
                if (title == null || title.isBlank()) {
                    title = "Sheet" + (book.tabs.size() + 1);
                }
                if (book.find(title) != null) {
                    throw new BadRequest(where + ".addSheet: A sheet with the name \"" + title + "\" already exists. Please enter another name.");
                }
                int sheetId = p.has("sheetId") ? p.get("sheetId").asInt() : book.nextSheetId();
                if (book.byId(sheetId) != null) {
                    throw new BadRequest(where + ".addSheet: A sheet with id " + sheetId + " already exists.");
                }
                Tab tab = new Tab(sheetId, title);
                int index = p.has("index") ? Math.min(p.get("index").asInt(), book.tabs.size()) : book.tabs.size();
                book.tabs.add(index, tab);
                ObjectNode reply = replies.addObject();
                reply.putObject("addSheet").set("properties", sheetProperties(tab, index));
            } else if (r.has("appendCells")) {
                JsonNode a = r.path("appendCells");
                Tab tab = sheetById(book, a.path("sheetId"), where + ".appendCells");
                String fields = requireFields(a, where + ".appendCells");
                int at = tab.lastRowWithData() + 1;
                for (JsonNode row : a.path("rows")) {
                    writeRow(tab, at++, 0, row, fields);
                }
                replies.addObject();
            } else if (r.has("updateCells")) {
                JsonNode u = r.path("updateCells");
                String fields = requireFields(u, where + ".updateCells");
                JsonNode start = u.has("start") ? u.path("start") : u.path("range");
                Tab tab = sheetById(book, start.path("sheetId"), where + ".updateCells");
                int row = start.has("rowIndex") ? start.path("rowIndex").asInt() : start.path("startRowIndex").asInt(0);
                int col = start.has("columnIndex") ? start.path("columnIndex").asInt() : start.path("startColumnIndex").asInt(0);
                for (JsonNode data : u.path("rows")) {
                    writeRow(tab, row++, col, data, fields);
                }
                replies.addObject();
            } else if (r.has("deleteDimension")) {
                JsonNode range = r.path("deleteDimension").path("range");
                Tab tab = sheetById(book, range.path("sheetId"), where + ".deleteDimension");
                if (!"ROWS".equals(range.path("dimension").asText())) {
                    throw new BadRequest(where + ".deleteDimension: the fake deletes ROWS only");
                }
                int start = range.path("startIndex").asInt(0);
                int end = range.path("endIndex").asInt(start + 1);
                if (start < 0 || end <= start) {
                    throw new BadRequest(where + ".deleteDimension: invalid range " + start + ".." + end);
                }
                // Rows below move up, like the real API; rows past the data are simply empty.
                for (int row = Math.min(end, tab.rows.size()) - 1; row >= start; row--) {
                    tab.rows.remove(row);
                }
                replies.addObject();
            } else {
                throw new BadRequest(where + ": the fake supports addSheet, appendCells, updateCells and deleteDimension only, got "
                        + r.fieldNames().next());
            }
            i++;
        }
        books.put(id, book);
        ObjectNode out = JSON.createObjectNode();
        out.put("spreadsheetId", id);
        out.set("replies", replies);
        return new Response(200, out);
    }

    private static String requireFields(JsonNode request, String where) {
        String fields = request.path("fields").asText("");
        if (fields.isBlank()) {
            throw new BadRequest(where + ": At least one field must be specified in 'fields'.");
        }
        return fields;
    }

    private static Tab sheetById(Book book, JsonNode sheetId, String where) {
        Tab tab = book.byId(sheetId.asInt(0));
        if (tab == null) {
            throw new BadRequest(where + ": No grid with id: " + sheetId.asInt(0));
        }
        return tab;
    }

    /** Writes one RowData at (row, col), honouring the field mask like the real API. */
    private static void writeRow(Tab tab, int rowIndex, int col, JsonNode rowData, String fields) {
        boolean all = fields.trim().equals("*");
        boolean values = all || fields.contains("userEnteredValue");
        boolean format = all || fields.contains("userEnteredFormat");
        boolean note = all || fields.contains("note");
        while (tab.rows.size() <= rowIndex) {
            tab.rows.add(new ArrayList<>());
        }
        List<Cell> row = tab.rows.get(rowIndex);
        int c = col;
        for (JsonNode data : rowData.path("values")) {
            while (row.size() <= c) {
                row.add(Cell.EMPTY);
            }
            Cell cell = row.get(c);
            if (values) {
                JsonNode v = data.path("userEnteredValue");
                if (v.has("numberValue")) {
                    cell = cell.withValue("NUMBER", v.get("numberValue").asDouble());
                } else if (v.has("stringValue")) {
                    cell = cell.withValue("STRING", v.get("stringValue").asText());
                } else if (v.has("boolValue")) {
                    cell = cell.withValue("BOOL", v.get("boolValue").asBoolean());
                } else if (v.has("formulaValue")) {
                    cell = cell.withValue("FORMULA", v.get("formulaValue").asText());
                } else {
                    cell = cell.withValue("EMPTY", null);
                }
            }
            if (format) {
                JsonNode nf = data.path("userEnteredFormat").path("numberFormat");
                cell = nf.isMissingNode() ? cell.withFormat(null, null)
                        : cell.withFormat(nf.path("type").asText(null), nf.path("pattern").asText(null));
            }
            if (note) {
                cell = cell.withNote(data.has("note") ? data.get("note").asText() : null);
            }
            row.set(c, cell);
            c++;
        }
    }

    private Response append(String id, String range, Map<String, List<String>> query, JsonNode body) {
        String input = first(query, "valueInputOption");
        if (input == null || !(input.equals("RAW") || input.equals("USER_ENTERED"))) {
            throw new BadRequest("Invalid valueInputOption: must be RAW or USER_ENTERED");
        }
        A1Range a1 = parseRange(range);
        Book book = books.get(id);
        Tab tab = book.find(a1.sheet());
        if (tab == null) {
            throw new BadRequest("Unable to parse range: " + range);
        }
        int start = tab.lastRowWithData() + 1;
        int at = start;
        int maxCols = 0;
        for (JsonNode row : body.path("values")) {
            while (tab.rows.size() <= at) {
                tab.rows.add(new ArrayList<>());
            }
            List<Cell> cells = tab.rows.get(at);
            int c = a1.startCol();
            for (JsonNode v : row) {
                while (cells.size() <= c) {
                    cells.add(Cell.EMPTY);
                }
                Cell cell;
                if (v.isNumber()) {
                    cell = Cell.number(v.asDouble());
                } else if (v.isBoolean()) {
                    cell = new Cell("BOOL", v.asBoolean(), null, null, null);
                } else if (v.isNull()) {
                    cell = Cell.EMPTY;
                } else if (input.equals("RAW")) {
                    cell = Cell.text(v.asText());
                } else {
                    cell = Formats.typed(v.asText());
                }
                cells.set(c++, cell);
            }
            maxCols = Math.max(maxCols, row.size());
            at++;
        }
        String updated = A1Range.quote(tab.title) + "!" + A1Range.column(a1.startCol()) + (start + 1) + ":"
                + A1Range.column(a1.startCol() + Math.max(maxCols, 1) - 1) + at;
        ObjectNode out = JSON.createObjectNode();
        out.put("spreadsheetId", id);
        out.put("tableRange", A1Range.quote(tab.title) + "!A1:E" + Math.max(start, 1));
        ObjectNode updates = out.putObject("updates");
        updates.put("spreadsheetId", id);
        updates.put("updatedRange", updated);
        updates.put("updatedRows", at - start);
        updates.put("updatedColumns", maxCols);
        updates.put("updatedCells", (at - start) * maxCols);
        return new Response(200, out);
    }

    private Response batchGet(String id, Map<String, List<String>> query) {
        List<String> ranges = query.getOrDefault("ranges", List.of());
        ArrayNode valueRanges = JSON.createArrayNode();
        for (String range : ranges) {
            valueRanges.add(valueRange(id, range, query));
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("spreadsheetId", id);
        out.set("valueRanges", valueRanges);
        return new Response(200, out);
    }

    private ObjectNode valueRange(String id, String range, Map<String, List<String>> query) {
        A1Range a1 = parseRange(range);
        Tab tab = books.get(id).find(a1.sheet());
        if (tab == null) {
            throw new BadRequest("Unable to parse range: " + range);
        }
        String render = first(query, "valueRenderOption");
        boolean formatted = render == null || render.equals("FORMATTED_VALUE");
        ArrayNode values = JSON.createArrayNode();
        List<ArrayNode> rows = new ArrayList<>();
        int lastNonEmpty = -1;
        for (int r = a1.startRow(); r < tab.rows.size() && r <= a1.endRow(); r++) {
            List<Cell> row = tab.rows.get(r);
            ArrayNode out = JSON.createArrayNode();
            int last = -1;
            for (int c = a1.startCol(); c < row.size() && c <= a1.endCol(); c++) {
                if (!row.get(c).isEmpty()) {
                    last = c;
                }
            }
            for (int c = a1.startCol(); c <= last; c++) {
                Cell cell = row.get(c);
                if (formatted || cell.isEmpty()) {
                    out.add(cell.formatted());
                } else if (cell.kind().equals("NUMBER")) {
                    out.add((Double) cell.value());
                } else if (cell.kind().equals("BOOL")) {
                    out.add((Boolean) cell.value());
                } else {
                    out.add(cell.kind().equals("FORMULA") && "FORMULA".equals(render) ? (String) cell.value() : cell.formatted());
                }
            }
            rows.add(out);
            if (last >= 0) {
                lastNonEmpty = rows.size() - 1;
            }
        }
        for (int i = 0; i <= lastNonEmpty; i++) {
            values.add(rows.get(i));
        }
        ObjectNode out = JSON.createObjectNode();
        int endRow = a1.endRow() == Integer.MAX_VALUE ? Math.max(1000, tab.rows.size()) : a1.endRow() + 1;
        int endCol = a1.endCol() == Integer.MAX_VALUE ? 25 : a1.endCol();
        out.put("range", A1Range.quote(tab.title) + "!" + A1Range.column(a1.startCol()) + (a1.startRow() + 1) + ":"
                + A1Range.column(endCol) + endRow);
        out.put("majorDimension", "ROWS");
        if (!values.isEmpty()) {
            out.set("values", values);
        }
        return out;
    }

    private static A1Range parseRange(String range) {
        try {
            return A1Range.parse(range);
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
    }

    private static JsonNode extendedValue(Cell cell) {
        ObjectNode v = JSON.createObjectNode();
        switch (cell.kind()) {
            case "NUMBER" -> v.put("numberValue", (Double) cell.value());
            case "BOOL" -> v.put("boolValue", (Boolean) cell.value());
            case "FORMULA" -> v.put("formulaValue", (String) cell.value());
            default -> v.put("stringValue", String.valueOf(cell.value()));
        }
        return v;
    }

    // ---------------------------------------------------------------- helpers

    private Book book(String id) {
        Book book = books.get(id);
        if (book == null) {
            throw new IllegalArgumentException("no spreadsheet " + id + " in the fake");
        }
        return book;
    }

    private Tab tab(String id, String title) {
        Tab tab = book(id).find(title);
        if (tab == null) {
            throw new IllegalArgumentException("no tab '" + title + "' in spreadsheet " + id + "; tabs: " + tabs(id));
        }
        return tab;
    }

    private static List<List<String>> trim(List<List<String>> rows) {
        List<List<String>> out = new ArrayList<>();
        int lastRow = -1;
        for (List<String> row : rows) {
            int last = row.size() - 1;
            while (last >= 0 && row.get(last).isEmpty()) {
                last--;
            }
            out.add(List.copyOf(row.subList(0, last + 1)));
            if (last >= 0) {
                lastRow = out.size() - 1;
            }
        }
        return List.copyOf(out.subList(0, lastRow + 1));
    }

    private static JsonNode parse(byte[] body) {
        try {
            return body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new BadRequest("Invalid JSON payload received. " + e.getMessage());
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }

    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String first(Map<String, List<String>> params, String key) {
        List<String> values = params.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** Path segments: percent-decoding only ("+" is a plus sign in a path). */
    private static String decode(String raw) {
        return URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static Response error(int status, String code, String message) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode error = body.putObject("error");
        error.put("code", status);
        error.put("message", message);
        error.put("status", code);
        return new Response(status, body);
    }

    private record Response(int status, JsonNode body) {
    }

    private record Call(String spreadsheetId, String kind, Action action) {
    }

    @FunctionalInterface
    private interface Action {
        Response run();
    }

    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** One spreadsheet. */
    private static final class Book {
        final String id;
        final String title;
        final List<Tab> tabs = new ArrayList<>();

        Book(String id, String title) {
            this.id = id;
            this.title = title;
        }

        Tab find(String title) {
            return tabs.stream().filter(t -> t.title.equals(title)).findFirst().orElse(null);
        }

        Tab byId(int sheetId) {
            return tabs.stream().filter(t -> t.sheetId == sheetId).findFirst().orElse(null);
        }

        int nextSheetId() {
            int id = 1_000_000 + tabs.size();
            while (byId(id) != null) {
                id++;
            }
            return id;
        }

        Book copy() {
            Book copy = new Book(id, title);
            for (Tab tab : tabs) {
                Tab t = new Tab(tab.sheetId, tab.title);
                tab.rows.forEach(r -> t.rows.add(new ArrayList<>(r)));
                copy.tabs.add(t);
            }
            return copy;
        }
    }

    /** One tab (sheet) of a spreadsheet. */
    private static final class Tab {
        final int sheetId;
        final String title;
        final List<List<Cell>> rows = new ArrayList<>();

        Tab(int sheetId, String title) {
            this.sheetId = sheetId;
            this.title = title;
        }

        int lastRowWithData() {
            for (int r = rows.size() - 1; r >= 0; r--) {
                if (rows.get(r).stream().anyMatch(c -> !c.isEmpty())) {
                    return r;
                }
            }
            return -1;
        }
    }
}
