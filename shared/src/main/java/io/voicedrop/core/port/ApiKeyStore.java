package io.voicedrop.core.port;

import io.voicedrop.core.model.ApiKey;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API's client keys and their request counters. Keys are stored only as SHA-256 hashes; see {@link ApiKey}.
 */
public interface ApiKeyStore {

    /** The key whose hash is {@code sha256Hex} (lower-case hex), enabled or not; empty when there is none. */
    Optional<ApiKey> findByHash(String sha256Hex);

    /**
     * Issues a new, enabled key. The returned value is the only one that carries {@link ApiKey#plaintext()}:
     * show it to the operator once, it cannot be recovered later.
     *
     * @param label              free text, may be null
     * @param rateLimitPerMinute the key's own limit of requests per minute; 0 for the deployment default
     */
    ApiKey create(String owner, String label, int rateLimitPerMinute);

    /** Issues a new, enabled key that follows the deployment's default rate limit. */
    default ApiKey create(String owner, String label) {
        return create(owner, label, 0);
    }

    /** Every key (without plaintext), oldest first. */
    List<ApiKey> list();

    /**
     * Disables the one key whose hash is {@code keyHashOrPrefix} or starts with it (at least 8 hex characters).
     * Revoking a key that is already disabled is not an error.
     *
     * @throws java.util.NoSuchElementException when no key matches
     * @throws IllegalArgumentException        when the prefix is malformed or matches more than one key
     */
    void revoke(String keyHashOrPrefix);

    /**
     * Counts one request of the key in a fixed time window and returns the window's count including this request
     * (an atomic increment: concurrent requests on many API instances never lose a count).
     *
     * @param keyHash     the key's hash
     * @param windowStart first instant of the window (the window's identity)
     * @param expiresAt   when the counter may be forgotten (after the window ended)
     */
    long countRequest(String keyHash, Instant windowStart, Instant expiresAt);
}
