package io.voicedrop.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.DynamoApiKeyStore;
import io.voicedrop.core.model.ApiKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/** The key adapter against a tiny fake of the DynamoDB calls it makes (the emulator tests live elsewhere). */
class DynamoApiKeyStoreTest {

    private final FakeDynamo dynamo = new FakeDynamo();
    private final DynamoApiKeyStore store = new DynamoApiKeyStore(dynamo, "api-keys",
            Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void createWritesTheHashAndAttributesButNeverThePlaintext() {
        ApiKey key = store.create("alice", "laptop");
        assertTrue(key.plaintext().startsWith("vd_"));
        assertTrue(key.plaintext().length() >= 40);
        Map<String, AttributeValue> item = dynamo.items.get(key.keyHash());
        assertEquals(ApiKey.hashOf(key.plaintext()), item.get("keyHash").s());
        assertEquals("alice", item.get("owner").s());
        assertEquals("laptop", item.get("label").s());
        assertEquals(true, item.get("enabled").bool());
        assertEquals("2026-11-27T10:00:00Z", item.get("createdAt").s());
        assertFalse(item.toString().contains(key.plaintext()));
        assertEquals("attribute_not_exists(keyHash)", dynamo.lastCondition);
        assertFalse(key.toString().contains(key.plaintext()), "toString must not print the key");
    }

    @Test
    void findByHash() {
        ApiKey key = store.create("alice", null);
        Optional<ApiKey> found = store.findByHash(ApiKey.hashOf(key.plaintext()));
        assertEquals(key.withoutPlaintext(), found.orElseThrow());
        assertEquals("", found.get().label());
        assertTrue(store.findByHash(ApiKey.hashOf("other")).isEmpty());
        int calls = dynamo.gets;
        assertTrue(store.findByHash("not-a-hash").isEmpty());
        assertTrue(store.findByHash(key.keyHash().toUpperCase()).isEmpty());
        assertTrue(store.findByHash(null).isEmpty());
        assertEquals(calls, dynamo.gets, "malformed hashes never reach DynamoDB");
    }

    @Test
    void listSkipsItemsThatAreNotKeys() {
        store.create("alice", "a");
        store.create("bob", "b");
        dynamo.items.put("RATE#alice#2026", Map.of("keyHash", AttributeValue.fromS("RATE#alice#2026"),
                "n", AttributeValue.fromN("3"), "expiresAt", AttributeValue.fromN("1790000000")));
        List<ApiKey> keys = store.list();
        assertEquals(2, keys.size());
        assertTrue(keys.stream().allMatch(k -> k.plaintext() == null));
    }

    @Test
    void revokeByPrefixOrFullHash() {
        ApiKey a = store.create("alice", null);
        store.revoke(a.keyHash().substring(0, 12).toUpperCase());
        assertFalse(store.findByHash(a.keyHash()).orElseThrow().enabled());
        ApiKey b = store.create("bob", null);
        store.revoke(b.keyHash());
        assertFalse(store.findByHash(b.keyHash()).orElseThrow().enabled());
        store.revoke(b.keyHash()); // again: still fine
    }

    @Test
    void revokeRefusesShortAmbiguousAndUnknownPrefixes() {
        assertThrows(IllegalArgumentException.class, () -> store.revoke("abc"));
        assertThrows(IllegalArgumentException.class, () -> store.revoke("zzzzzzzzzz"));
        assertThrows(NoSuchElementException.class, () -> store.revoke("0123456789"));
        assertThrows(NoSuchElementException.class, () -> store.revoke("0".repeat(64)));
        // Two keys sharing a prefix
        dynamo.items.put("ab".repeat(32), key("ab".repeat(32)));
        dynamo.items.put("ab".repeat(31) + "cd", key("ab".repeat(31) + "cd"));
        assertThrows(IllegalArgumentException.class, () -> store.revoke("abababababab"));
    }

    @Test
    void createValidatesOwner() {
        assertThrows(IllegalArgumentException.class, () -> store.create(" ", "x"));
        assertThrows(IllegalArgumentException.class, () -> store.create(null, "x"));
        assertThrows(IllegalArgumentException.class, () -> store.create("o".repeat(201), "x"));
    }

    private static Map<String, AttributeValue> key(String hash) {
        return Map.of("keyHash", AttributeValue.fromS(hash), "owner", AttributeValue.fromS("x"),
                "enabled", AttributeValue.fromBool(true), "createdAt", AttributeValue.fromS("2026-01-01T00:00:00Z"));
    }

    /** Just the calls the adapter makes, with the two condition expressions it uses. */
    static final class FakeDynamo implements DynamoDbClient {
        final Map<String, Map<String, AttributeValue>> items = new TreeMap<>();
        String lastCondition;
        int gets;

        @Override
        public GetItemResponse getItem(GetItemRequest r) {
            gets++;
            Map<String, AttributeValue> item = items.get(r.key().get("keyHash").s());
            return GetItemResponse.builder().item(item).build();
        }

        @Override
        public PutItemResponse putItem(PutItemRequest r) {
            lastCondition = r.conditionExpression();
            String hash = r.item().get("keyHash").s();
            if ("attribute_not_exists(keyHash)".equals(r.conditionExpression()) && items.containsKey(hash)) {
                throw ConditionalCheckFailedException.builder().message("exists").build();
            }
            items.put(hash, new HashMap<>(r.item()));
            return PutItemResponse.builder().build();
        }

        @Override
        public ScanResponse scan(ScanRequest r) {
            return ScanResponse.builder().items(List.copyOf(items.values())).build();
        }

        @Override
        public UpdateItemResponse updateItem(UpdateItemRequest r) {
            String hash = r.key().get("keyHash").s();
            Map<String, AttributeValue> item = items.get(hash);
            if (item == null || !item.containsKey("owner")) {
                throw ConditionalCheckFailedException.builder().message("missing").build();
            }
            assertEquals("SET enabled = :no", r.updateExpression());
            Map<String, AttributeValue> changed = new HashMap<>(item);
            changed.put("enabled", r.expressionAttributeValues().get(":no"));
            items.put(hash, changed);
            return UpdateItemResponse.builder().build();
        }

        @Override
        public String serviceName() {
            return "dynamodb";
        }

        @Override
        public void close() {
        }
    }
}
