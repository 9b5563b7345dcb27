package io.voicedrop.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

/**
 * A client key of the public API. Only the SHA-256 hash of the key is ever stored; the plaintext exists once, in the
 * value {@code create} returns, and is then shown to the operator and forgotten.
 *
 * @param keyHash   lower-case hex SHA-256 of the key's UTF-8 bytes (64 characters); the store's primary key
 * @param owner     who the key was issued to
 * @param label     free text to tell keys of one owner apart, {@code ""} when not given
 * @param enabled   false once revoked; a disabled key authenticates nothing
 * @param createdAt when the key was issued
 * @param plaintext the key itself, only in the value returned by {@code create}; null everywhere else
 * @param rateLimitPerMinute this key's own request limit per minute; 0 means the deployment default
 *                  ({@code API_RATE_LIMIT_PER_MINUTE})
 */
public record ApiKey(String keyHash, String owner, String label, boolean enabled, Instant createdAt,
                     String plaintext, int rateLimitPerMinute) {

    public ApiKey {
        label = label == null ? "" : label;
        rateLimitPerMinute = Math.max(0, rateLimitPerMinute);
    }

    /** A key that follows the deployment's default rate limit. */
    public ApiKey(String keyHash, String owner, String label, boolean enabled, Instant createdAt, String plaintext) {
        this(keyHash, owner, label, enabled, createdAt, plaintext, 0);
    }

    /** The stored form: everything but the plaintext. */
    public ApiKey withoutPlaintext() {
        return new ApiKey(keyHash, owner, label, enabled, createdAt, null, rateLimitPerMinute);
    }

    /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code key}: how a key is looked up. */
    public static String hashOf(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** True for a string shaped like a key hash (64 lower-case hex characters). */
    public static boolean isKeyHash(String value) {
        return value != null && value.length() == 64 && value.chars().allMatch(ApiKey::isLowerHex);
    }

    static boolean isLowerHex(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** Never prints the plaintext, so a key cannot leak through a log line. */
    @Override
    public String toString() {
        return "ApiKey[keyHash=" + keyHash + ", owner=" + owner + ", label=" + label + ", enabled=" + enabled
                + ", createdAt=" + createdAt + ", rateLimitPerMinute=" + rateLimitPerMinute + (plaintext == null ? "" : ", plaintext=<redacted>") + "]";
    }
}
