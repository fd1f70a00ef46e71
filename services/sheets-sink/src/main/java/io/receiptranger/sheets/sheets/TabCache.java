package io.receiptranger.sheets.sheets;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/** Each spreadsheet's tab list (title → sheetId), cached so a batch costs one read, not two. */
public final class TabCache {

    private final Duration ttl;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TabCache(Duration ttl) {
        this.ttl = ttl;
    }

    public Map<String, Integer> get(String spreadsheetId, Supplier<Map<String, Integer>> load) {
        Cached cached = cache.get(spreadsheetId);
        if (cached != null && System.nanoTime() - cached.loadedAt < ttl.toNanos()) {
            return cached.tabs;
        }
        Map<String, Integer> tabs = new LinkedHashMap<>(load.get());
        cache.put(spreadsheetId, new Cached(tabs, System.nanoTime()));
        return tabs;
    }

    /** The tab list last loaded, however old (tab ids do not change while a tab lives), without loading it. */
    public Map<String, Integer> peek(String spreadsheetId) {
        Cached cached = cache.get(spreadsheetId);
        return cached == null ? Map.of() : cached.tabs;
    }

    /** Records tabs this sink just created. */
    public void added(String spreadsheetId, Map<String, Integer> created) {
        cache.computeIfPresent(spreadsheetId, (id, old) -> {
            Map<String, Integer> tabs = new LinkedHashMap<>(old.tabs);
            tabs.putAll(created);
            return new Cached(tabs, old.loadedAt);
        });
    }

    public void invalidate(String spreadsheetId) {
        cache.remove(spreadsheetId);
    }

    private record Cached(Map<String, Integer> tabs, long loadedAt) {
    }
}
