package io.receiptranger.ingest.account;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Entries of {@code RANGER_AUTH_ALLOWED_USERS} / {@code RANGER_AUTH_OPERATORS}: an address
 * ({@code alice@example.com}), a whole domain ({@code @example.com}) or an identity-provider group
 * ({@code group:finance}). Addresses and domains compare case-insensitively, groups exactly. An
 * empty list admits nobody.
 */
final class AllowList {

    private final List<String> entries;

    AllowList(List<String> entries) {
        this.entries = entries.stream().map(String::strip).filter(e -> !e.isEmpty())
                .map(e -> e.startsWith("group:") ? e : e.toLowerCase(Locale.ROOT)).toList();
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    boolean admits(String owner, Set<String> groups) {
        if (owner == null) {
            return false;
        }
        String o = owner.toLowerCase(Locale.ROOT);
        for (String e : entries) {
            if (e.startsWith("group:")) {
                if (groups.contains(e.substring("group:".length()))) {
                    return true;
                }
            } else if (e.startsWith("@")) {
                if (o.endsWith(e) && o.indexOf('@') == o.length() - e.length()) {
                    return true;
                }
            } else if (o.equals(e)) {
                return true;
            }
        }
        return false;
    }
}
