package io.voicedrop.api;

import io.voicedrop.core.model.ApiKey;
import io.voicedrop.core.port.ApiKeyStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/** Keys in a map, by hash, as the Dynamo store keeps them. */
final class InMemoryApiKeyStore implements ApiKeyStore {

    private final Map<String, ApiKey> keys = new LinkedHashMap<>();
    final List<String> lookups = new ArrayList<>();
    RuntimeException failWith;

    /** Adds a key with a known plaintext (tests need to send it). */
    synchronized ApiKey add(String plaintext, String owner, boolean enabled) {
        ApiKey key = new ApiKey(ApiKey.hashOf(plaintext), owner, "test", enabled, Instant.parse("2026-01-01T00:00:00Z"),
                null);
        keys.put(key.keyHash(), key);
        return key;
    }

    @Override
    public synchronized Optional<ApiKey> findByHash(String sha256Hex) {
        lookups.add(sha256Hex);
        if (failWith != null) {
            throw failWith;
        }
        return Optional.ofNullable(keys.get(sha256Hex));
    }

    /** Adds a key with its own rate limit. */
    synchronized ApiKey add(String plaintext, String owner, int rateLimitPerMinute) {
        ApiKey key = new ApiKey(ApiKey.hashOf(plaintext), owner, "test", true, Instant.parse("2026-01-01T00:00:00Z"),
                null, rateLimitPerMinute);
        keys.put(key.keyHash(), key);
        return key;
    }

    final Map<String, Long> counters = new LinkedHashMap<>();
    RuntimeException counterFailure;

    @Override
    public synchronized long countRequest(String keyHash, Instant windowStart, Instant expiresAt) {
        if (counterFailure != null) {
            throw counterFailure;
        }
        return counters.merge(keyHash + "#" + windowStart.getEpochSecond(), 1L, Long::sum);
    }

    @Override
    public synchronized ApiKey create(String owner, String label, int rateLimitPerMinute) {
        String plaintext = "vd_" + UUID.randomUUID();
        ApiKey key = new ApiKey(ApiKey.hashOf(plaintext), owner, label, true, Instant.now(), plaintext,
                rateLimitPerMinute);
        keys.put(key.keyHash(), key.withoutPlaintext());
        return key;
    }

    @Override
    public synchronized List<ApiKey> list() {
        return List.copyOf(keys.values());
    }

    @Override
    public synchronized void revoke(String prefix) {
        List<ApiKey> matches = keys.values().stream().filter(k -> k.keyHash().startsWith(prefix)).toList();
        if (matches.size() != 1) {
            throw matches.isEmpty() ? new NoSuchElementException("no key") : new IllegalArgumentException("ambiguous");
        }
        ApiKey k = matches.get(0);
        keys.put(k.keyHash(), new ApiKey(k.keyHash(), k.owner(), k.label(), false, k.createdAt(), null));
    }
}
