package io.voicedrop.adapters.aws;

import io.voicedrop.core.model.ApiKey;
import io.voicedrop.core.port.ApiKeyStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * API keys in the {@code API_KEYS_TABLE} DynamoDB table, one item per key:
 * {@code keyHash} (S, partition key, lower-case hex SHA-256 of the key), {@code owner} (S), {@code enabled} (BOOL),
 * {@code createdAt} (S, ISO-8601), {@code label} (S) and, when the key has its own limit, {@code rateLimitPerMinute}
 * (N). The plaintext key is never written anywhere.
 *
 * <p>Rate-limit counters share the table: one item per key and fixed window, {@code keyHash} =
 * {@code rl#<key hash>#<window start, epoch seconds>}, {@code n} (N, incremented atomically with {@code ADD}) and
 * {@code expiresAt} (N, epoch seconds, the table's TTL attribute: DynamoDB deletes old windows by itself). Items
 * without {@code owner} and {@code enabled} are not keys and are ignored by {@link #list}.
 *
 * <p>The API function needs {@code dynamodb:GetItem} ({@link #findByHash}) and {@code dynamodb:UpdateItem}
 * ({@link #countRequest}); {@link #create}, {@link #list} and {@link #revoke} are for the operator's command line.
 */
public final class DynamoApiKeyStore implements ApiKeyStore {

    /** Keys look like {@code vd_} + 43 URL-safe characters (256 random bits). */
    public static final String KEY_PREFIX = "vd_";
    static final int MIN_REVOKE_PREFIX = 8;
    private static final int MAX_OWNER = 200;
    private static final int MAX_LABEL = 200;
    /** Highest per-key limit the command accepts (requests per minute). */
    public static final int MAX_RATE_LIMIT = 1_000_000;
    static final String RATE_PREFIX = "rl#";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public DynamoApiKeyStore(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC());
    }

    public DynamoApiKeyStore(DynamoDbClient dynamo, String table, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
    }

    @Override
    public Optional<ApiKey> findByHash(String sha256Hex) {
        if (!ApiKey.isKeyHash(sha256Hex)) {
            return Optional.empty();
        }
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("keyHash", AttributeValue.fromS(sha256Hex)))).item();
        return fromItem(item);
    }

    @Override
    public ApiKey create(String owner, String label, int rateLimitPerMinute) {
        if (owner == null || owner.isBlank()) {
            throw new IllegalArgumentException("owner is required");
        }
        if (rateLimitPerMinute < 0 || rateLimitPerMinute > MAX_RATE_LIMIT) {
            throw new IllegalArgumentException("the rate limit must be between 0 (deployment default) and "
                    + MAX_RATE_LIMIT + " requests per minute");
        }
        if (owner.length() > MAX_OWNER || (label != null && label.length() > MAX_LABEL)) {
            throw new IllegalArgumentException("owner and label are limited to " + MAX_OWNER + " characters");
        }
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String plaintext = KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKey key = new ApiKey(ApiKey.hashOf(plaintext), owner.trim(), label == null ? "" : label.trim(), true,
                clock.instant(), plaintext, rateLimitPerMinute);
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("keyHash", AttributeValue.fromS(key.keyHash()));
        item.put("owner", AttributeValue.fromS(key.owner()));
        item.put("label", AttributeValue.fromS(key.label()));
        item.put("enabled", AttributeValue.fromBool(true));
        item.put("createdAt", AttributeValue.fromS(key.createdAt().toString()));
        if (rateLimitPerMinute > 0) {
            item.put("rateLimitPerMinute", AttributeValue.fromN(Integer.toString(rateLimitPerMinute)));
        }
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(keyHash)").build());
        } catch (ConditionalCheckFailedException collision) {
            // 256 random bits: a collision means the random source is broken, never retry silently.
            throw new IllegalStateException("generated key collides with an existing key", collision);
        }
        return key;
    }

    @Override
    public List<ApiKey> list() {
        List<ApiKey> keys = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            ScanResponse r = dynamo.scan(ScanRequest.builder().tableName(table).exclusiveStartKey(start).build());
            r.items().forEach(item -> fromItem(item).ifPresent(keys::add));
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null);
        keys.sort(Comparator.comparing(ApiKey::createdAt).thenComparing(ApiKey::keyHash));
        return keys;
    }

    @Override
    public void revoke(String keyHashOrPrefix) {
        String prefix = keyHashOrPrefix == null ? "" : keyHashOrPrefix.trim().toLowerCase(Locale.ROOT);
        if (prefix.length() < MIN_REVOKE_PREFIX || prefix.length() > 64
                || !prefix.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw new IllegalArgumentException("give the key hash or at least " + MIN_REVOKE_PREFIX
                    + " of its first hex characters");
        }
        String hash;
        if (prefix.length() == 64) {
            hash = prefix;
        } else {
            List<String> matches = list().stream().map(ApiKey::keyHash).filter(h -> h.startsWith(prefix)).toList();
            if (matches.size() > 1) {
                throw new IllegalArgumentException(matches.size() + " keys start with " + prefix
                        + "; give more characters");
            }
            if (matches.isEmpty()) {
                throw new NoSuchElementException("no key hash starts with " + prefix);
            }
            hash = matches.get(0);
        }
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(Map.of("keyHash", AttributeValue.fromS(hash)))
                    .updateExpression("SET enabled = :no")
                    .conditionExpression("attribute_exists(keyHash) AND attribute_exists(#o)")
                    .expressionAttributeNames(Map.of("#o", "owner"))
                    .expressionAttributeValues(Map.of(":no", AttributeValue.fromBool(false))));
        } catch (ConditionalCheckFailedException missing) {
            throw new NoSuchElementException("no key with hash " + hash);
        }
    }

    private static Optional<ApiKey> fromItem(Map<String, AttributeValue> item) {
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        AttributeValue hash = item.get("keyHash");
        AttributeValue owner = item.get("owner");
        AttributeValue enabled = item.get("enabled");
        if (hash == null || hash.s() == null || owner == null || owner.s() == null || enabled == null
                || enabled.bool() == null) {
            return Optional.empty();
        }
        AttributeValue label = item.get("label");
        return Optional.of(new ApiKey(hash.s(), owner.s(), label == null ? "" : label.s(), enabled.bool(),
                parseInstant(item.get("createdAt")), null, parseLimit(item.get("rateLimitPerMinute"))));
    }

    private static int parseLimit(AttributeValue value) {
        if (value == null || value.n() == null) {
            return 0;
        }
        try {
            return (int) Math.max(0, Math.min(MAX_RATE_LIMIT, Long.parseLong(value.n())));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public long countRequest(String keyHash, Instant windowStart, Instant expiresAt) {
        String counter = RATE_PREFIX + keyHash + "#" + windowStart.getEpochSecond();
        Map<String, AttributeValue> after = dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("keyHash", AttributeValue.fromS(counter)))
                .updateExpression("ADD #n :one SET expiresAt = :exp")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"),
                        ":exp", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond()))))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        AttributeValue n = after == null ? null : after.get("n");
        return n == null ? 1 : Long.parseLong(n.n());
    }

    private static Instant parseInstant(AttributeValue value) {
        if (value == null || value.s() == null) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(value.s());
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
