package io.receiptranger.ingest.account;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.receiptranger.ingest.messaging.CatchUp;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Personal API tokens ({@code rr_} + 256 random bits, base64url): created, listed and revoked by
 * their owner, checked on every API call that carries one. Only the SHA-256 is kept, in the
 * compacted topic {@value #TOPIC} that every replica reads from the beginning (a consumer group of
 * its own, like the batch views), so a token works on every replica and survives a redeploy. A
 * token made on one replica is known there at once, on the others as soon as they read it.
 */
@ApplicationScoped
public class PersonalTokens {

    public static final String TOPIC = "owner-tokens";
    /** Outgoing channel to {@value #TOPIC}. */
    public static final String OUT = "owner-tokens-out";
    /** Incoming channel reading {@value #TOPIC}. */
    public static final String VIEW = "owner-tokens-view";
    /** What every personal token starts with, so it is told apart from an identity provider's JWT (and found by secret scanners). */
    public static final String PREFIX = "rr_";
    /** Tokens one owner may hold at once. */
    static final int MAX_PER_OWNER = 20;

    private static final SecureRandom RANDOM = new SecureRandom();

    private final MutinyEmitter<String> out;
    private final ObjectMapper json;
    private final CatchUp catchUp;
    /** By sha256. */
    private final Map<String, PersonalToken> tokens = new ConcurrentHashMap<>();

    public PersonalTokens(@Channel(OUT) MutinyEmitter<String> out, ObjectMapper json, CatchUp catchUp) {
        this.out = out;
        this.json = json;
        this.catchUp = catchUp;
    }

    /** A freshly made token: the secret (shown once) and what is kept of it. */
    public record Created(String token, PersonalToken record) {
    }

    /** The live token this secret is, if any. */
    public Optional<PersonalToken> find(String secret) {
        if (secret == null || !secret.startsWith(PREFIX) || secret.length() > 100) {
            return Optional.empty();
        }
        PersonalToken t = tokens.get(sha256(secret));
        return t == null || t.revokedAt() != null ? Optional.empty() : Optional.of(t);
    }

    /** The owner's live tokens, newest first. */
    public List<PersonalToken> list(String owner) {
        return tokens.values().stream().filter(t -> t.owner().equals(owner) && t.revokedAt() == null)
                .sorted(Comparator.comparing(PersonalToken::createdAt).reversed()).toList();
    }

    /** Makes a token and waits for Kafka's acknowledgement. */
    public Created create(String owner, String name, List<String> groups, Duration timeout) {
        if (list(owner).size() >= MAX_PER_OWNER) {
            throw new AccountRefused(409, "You already have " + MAX_PER_OWNER + " tokens; revoke one you no longer use first.");
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        byte[] idBytes = new byte[8];
        RANDOM.nextBytes(idBytes);
        String id = "t-" + HexFormat.of().formatHex(idBytes);
        PersonalToken record = new PersonalToken(id, owner, name, sha256(secret), groups, Instant.now(), null);
        publish(record, timeout);
        return new Created(secret, record);
    }

    /** Revokes the owner's token; false when the owner has no live token with this id (a foreign id included). */
    public boolean revoke(String owner, String tokenId, Duration timeout) {
        Optional<PersonalToken> t = tokens.values().stream()
                .filter(x -> x.owner().equals(owner) && x.tokenId().equals(tokenId) && x.revokedAt() == null).findFirst();
        if (t.isEmpty()) {
            return false;
        }
        publish(t.get().revoked(Instant.now()), timeout);
        return true;
    }

    private void publish(PersonalToken record, Duration timeout) {
        String payload;
        try {
            payload = json.writeValueAsString(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialise a personal token record", e);
        }
        out.sendMessage(Message.of(payload).addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.sha256()).build())).await().atMost(timeout);
        apply(record);
    }

    @Incoming(VIEW)
    public CompletionStage<Void> onRecord(Message<String> record) {
        var kafka = record.getMetadata(IncomingKafkaRecordMetadata.class);
        try {
            if (record.getPayload() != null) {
                apply(json.readValue(record.getPayload(), PersonalToken.class));
            }
        } catch (Exception e) {
            Log.warnf("Skipping an unreadable %s record: %s", TOPIC, e.getClass().getSimpleName());
        } finally {
            kafka.ifPresent(k -> catchUp.consumed(k.getTopic(), k.getPartition(), k.getOffset()));
        }
        return record.ack();
    }

    private void apply(PersonalToken t) {
        if (t.sha256() == null || t.owner() == null || t.tokenId() == null || t.createdAt() == null) {
            return;
        }
        // A revocation is final, whatever order the records arrive in.
        tokens.merge(t.sha256(), t, (old, now) -> old.revokedAt() != null ? old : now);
    }

    static String sha256(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
