package io.voicedrop.core.port;

import io.voicedrop.core.model.ApiKey;
import java.util.List;
import java.util.Optional;

/** The API's client keys. Keys are stored only as SHA-256 hashes; see {@link ApiKey}. */
public interface ApiKeyStore {

    /** The key whose hash is {@code sha256Hex} (lower-case hex), enabled or not; empty when there is none. */
    Optional<ApiKey> findByHash(String sha256Hex);

    /**
     * Issues a new, enabled key. The returned value is the only one that carries {@link ApiKey#plaintext()}:
     * show it to the operator once, it cannot be recovered later.
     *
     * @param label free text, may be null
     */
    ApiKey create(String owner, String label);

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
}
