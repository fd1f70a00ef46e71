package io.receiptranger.ingest.account;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One personal API token as kept in the compacted topic {@value PersonalTokens#TOPIC} (key =
 * {@code sha256}, so the latest record per token survives compaction). Only the SHA-256 of the token
 * is stored; the token itself is shown once, when it is created. Revoking republishes the record
 * with {@code revokedAt} set.
 *
 * @param groups the owner's identity-provider groups when the token was made (for a group-based allow-list)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record PersonalToken(String tokenId, String owner, String name, String sha256, List<String> groups,
        Instant createdAt, Instant revokedAt) {

    public PersonalToken {
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    PersonalToken revoked(Instant at) {
        return new PersonalToken(tokenId, owner, name, sha256, groups, createdAt, at);
    }
}
