package io.voicedrop.adapters.aws.catalog;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ModelEntity;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * Every DynamoDB call of the catalog goes through here, so what a request costs (calls, items read: what DynamoDB
 * bills) is counted in one place; the cost tests and the benchmark assert on these numbers.
 */
public final class CatalogTable {

    private static final Logger LOG = LoggerFactory.getLogger(CatalogTable.class);
    private static final int BATCH_GET = 100;
    private static final int BATCH_GET_ROUNDS = 8;

    private final DynamoDbClient dynamo;
    private final String name;
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong itemsRead = new AtomicLong();
    /** Cleared the first time the role turns out to lack BatchGetItem: a policy gap must not break listing. */
    private volatile boolean batchGetAllowed = true;

    public CatalogTable(DynamoDbClient dynamo, String name) {
        this.dynamo = dynamo;
        this.name = name;
    }

    public long calls() {
        return calls.get();
    }

    public long itemsRead() {
        return itemsRead.get();
    }

    String name() {
        return name;
    }

    /** A query of the listing index, newest first unless the caller says otherwise. */
    QueryResponse queryIndex(Consumer<QueryRequest.Builder> request) {
        QueryRequest.Builder b = QueryRequest.builder().tableName(name).indexName(CatalogItems.INDEX)
                .scanIndexForward(false);
        request.accept(b);
        calls.incrementAndGet();
        QueryResponse r = dynamo.query(b.returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build());
        itemsRead.addAndGet(r.scannedCount() == null ? r.count() : r.scannedCount());
        return r;
    }

    /** Where the next page of a query starts; null after the last one. */
    static Map<String, AttributeValue> next(QueryResponse r) {
        return r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
    }

    /** One item, or null; counted as read only when the caller finds it usable ({@link #counted}). */
    Map<String, AttributeValue> get(Map<String, AttributeValue> key, boolean consistent) {
        calls.incrementAndGet();
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(name).key(key).consistentRead(consistent))
                .item();
        return item == null || item.isEmpty() ? null : item;
    }

    /** Counts one item read and passes it on. */
    Map<String, AttributeValue> counted(Map<String, AttributeValue> item) {
        itemsRead.incrementAndGet();
        return item;
    }

    /** How many models a partition holds (0 for a partition nobody joined yet). */
    long counter(String partition) {
        return count(partition).n();
    }

    /**
     * A partition's counter item: {@code n} models, and {@code m}, which every removal or change of a member raises
     * (caches of the partition are valid only while both are what they saw).
     */
    record Count(long n, long m) {
    }

    Count count(String partition) {
        Map<String, AttributeValue> item = get(CatalogItems.counterKey(partition), false);
        if (item == null || !item.containsKey("n")) {
            return new Count(0, item == null || !item.containsKey("m") ? 0 : Long.parseLong(item.get("m").n()));
        }
        counted(item);
        long m = item.containsKey("m") ? Long.parseLong(item.get("m").n()) : 0;
        return new Count(Math.max(0, Long.parseLong(item.get("n").n())), m);
    }

    /** Every item of one model partition ({@code pk = MODEL#<id>}), keys only. */
    List<Map<String, AttributeValue>> modelItems(String id) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            calls.incrementAndGet();
            QueryResponse r = dynamo.query(b -> b.tableName(name).keyConditionExpression("pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("MODEL#" + id)))
                    .projectionExpression("pk, sk").consistentRead(true).exclusiveStartKey(from));
            items.addAll(r.items());
            start = next(r);
        } while (start != null);
        return items;
    }

    void delete(Map<String, AttributeValue> key) {
        calls.incrementAndGet();
        dynamo.deleteItem(b -> b.tableName(name).key(key));
    }

    /** A put that only succeeds when no item with that key exists; false when one does. */
    boolean putIfAbsent(Map<String, AttributeValue> item) {
        calls.incrementAndGet();
        try {
            dynamo.putItem(b -> b.tableName(name).item(item).conditionExpression("attribute_not_exists(pk)"));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException exists) {
            return false;
        }
    }

    public Optional<CatalogEntry> find(String modelId) {
        Map<String, AttributeValue> item = get(CatalogItems.modelKey(modelId), false);
        if (item == null || !item.containsKey("body")) {
            return Optional.empty();
        }
        counted(item);
        return Optional.of(Json.read(item.get("body").s(), CatalogEntry.class));
    }

    /** The models of these sort keys, in this order; keys whose model is gone are skipped. */
    List<ModelEntity> models(List<String> sortKeys) {
        List<String> ids = sortKeys.stream().map(CatalogItems::idOf).toList();
        Map<String, ModelEntity> found = new HashMap<>();
        for (int i = 0; i < ids.size(); i += BATCH_GET) {
            List<String> chunk = ids.subList(i, Math.min(ids.size(), i + BATCH_GET));
            if (batchGetAllowed) {
                try {
                    batchGet(chunk, found);
                    continue;
                } catch (DynamoDbException e) {
                    if (!isAccessDenied(e)) {
                        throw e;
                    }
                    batchGetAllowed = false;
                    LOG.warn("dynamodb:BatchGetItem is not allowed on {}; reading models one by one", name);
                }
            }
            for (String id : chunk) {
                find(id).ifPresent(e -> found.put(id, e.model()));
            }
        }
        return ids.stream().map(found::get).filter(Objects::nonNull).toList();
    }

    private void batchGet(List<String> ids, Map<String, ModelEntity> found) {
        List<Map<String, AttributeValue>> keys = new ArrayList<>(new LinkedHashSet<>(ids).stream()
                .map(CatalogItems::modelKey).toList());
        for (Map<String, AttributeValue> item : batchGetRaw(keys)) {
            if (!item.containsKey("body")) {
                continue; // erased meanwhile: a marker without the model
            }
            CatalogEntry e = Json.read(item.get("body").s(), CatalogEntry.class);
            found.put(e.model().id(), e.model());
        }
    }

    /** The compact twins ({@code MODEL#<id> / SEARCH}) of these sort keys; those of models gone are left out. */
    List<Map<String, AttributeValue>> compactItems(List<String> sortKeys) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        List<String> ids = new ArrayList<>(new LinkedHashSet<>(sortKeys.stream().map(CatalogItems::idOf).toList()));
        for (int i = 0; i < ids.size(); i += BATCH_GET) {
            List<Map<String, AttributeValue>> keys = ids.subList(i, Math.min(ids.size(), i + BATCH_GET)).stream()
                    .map(id -> CatalogItems.key("MODEL#" + id, CatalogItems.SEARCH)).toList();
            if (batchGetAllowed) {
                try {
                    batchGetRaw(keys).stream().filter(item -> item.containsKey("gsi1sk")).forEach(out::add);
                    continue;
                } catch (DynamoDbException e) {
                    if (!isAccessDenied(e)) {
                        throw e;
                    }
                    batchGetAllowed = false;
                    LOG.warn("dynamodb:BatchGetItem is not allowed on {}; reading items one by one", name);
                }
            }
            for (Map<String, AttributeValue> key : keys) {
                Map<String, AttributeValue> item = get(key, false);
                if (item != null && item.containsKey("gsi1sk")) {
                    out.add(counted(item));
                }
            }
        }
        return out;
    }

    /** The items of these keys that exist, by {@code BatchGetItem}, retrying unprocessed keys. */
    private List<Map<String, AttributeValue>> batchGetRaw(List<Map<String, AttributeValue>> keys) {
        List<Map<String, AttributeValue>> out = new ArrayList<>();
        Map<String, KeysAndAttributes> request = Map.of(name, KeysAndAttributes.builder().keys(keys).build());
        for (int round = 0; round < BATCH_GET_ROUNDS && !request.isEmpty(); round++) {
            Map<String, KeysAndAttributes> req = request;
            calls.incrementAndGet();
            BatchGetItemResponse r = dynamo.batchGetItem(b -> b.requestItems(req)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            for (Map<String, AttributeValue> item : r.responses().getOrDefault(name, List.of())) {
                itemsRead.incrementAndGet();
                out.add(item);
            }
            request = r.hasUnprocessedKeys() ? r.unprocessedKeys() : Map.of();
            if (!request.isEmpty()) {
                sleep(20L << round);
            }
        }
        if (!request.isEmpty()) {
            throw new IllegalStateException("BatchGetItem kept returning unprocessed keys");
        }
        return out;
    }

    /** A counter item as stored (null when absent), for callers that need more of it than {@link #counter}. */
    Map<String, AttributeValue> counterItem(String partition) {
        Map<String, AttributeValue> item = get(CatalogItems.counterKey(partition), false);
        return item == null ? null : counted(item);
    }

    static long number(Map<String, AttributeValue> item, String name) {
        return item == null || !item.containsKey(name) || item.get(name).n() == null ? 0
                : Math.max(0, Long.parseLong(item.get(name).n()));
    }

    void transact(List<TransactWriteItem> actions) {
        calls.incrementAndGet();
        dynamo.transactWriteItems(b -> b.transactItems(actions));
    }

    void put(Map<String, AttributeValue> item) {
        calls.incrementAndGet();
        dynamo.putItem(b -> b.tableName(name).item(item));
    }

    static boolean isAccessDenied(DynamoDbException e) {
        String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
        return e.statusCode() == 400 && code != null && code.contains("AccessDenied");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
