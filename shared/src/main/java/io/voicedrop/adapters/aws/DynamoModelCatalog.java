package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.ModelCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * The catalog in one DynamoDB table (adjacency list). Each model has a main item and one index item per value it
 * can be filtered on (tag, language, author, title language). All of them carry {@code gsi1pk} = the filter value
 * and {@code gsi1sk} = creation time + id, so one index answers "newest first, optionally filtered by X" by reading
 * only the page it returns. A counter item per {@code gsi1pk} answers {@code total} without counting.
 */
public final class DynamoModelCatalog implements ModelCatalog {

    static final String INDEX = "gsi1";
    static final String ALL = "ALL";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoModelCatalog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void save(CatalogEntry entry) {
        ModelEntity m = entry.model();
        String pk = "MODEL#" + m.id();
        String sortKey = m.createdAt() + "#" + m.id();
        String body = Json.write(entry);
        boolean isNew = put(pk, "MODEL", ALL, sortKey, body, true);
        if (!isNew) {
            put(pk, "MODEL", ALL, sortKey, body, false);
        }
        for (String filterKey : filterKeys(entry)) {
            put(pk, "IDX#" + filterKey, filterKey, sortKey, body, false);
        }
        if (isNew) {
            increment(ALL);
            filterKeys(entry).forEach(this::increment);
        }
    }

    private boolean put(String pk, String sk, String gsiPk, String gsiSk, String body, boolean onlyIfNew) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("pk", AttributeValue.fromS(pk));
        item.put("sk", AttributeValue.fromS(sk));
        item.put("gsi1pk", AttributeValue.fromS(gsiPk));
        item.put("gsi1sk", AttributeValue.fromS(gsiSk));
        item.put("body", AttributeValue.fromS(body));
        PutItemRequest.Builder req = PutItemRequest.builder().tableName(table).item(item);
        if (onlyIfNew) {
            req.conditionExpression("attribute_not_exists(pk)");
        }
        try {
            dynamo.putItem(req.build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    private void increment(String counterOf) {
        dynamo.updateItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("COUNT#" + counterOf), "sk", AttributeValue.fromS("COUNT")))
                .updateExpression("ADD #n :one")
                .expressionAttributeNames(Map.of("#n", "n"))
                .expressionAttributeValues(Map.of(":one", AttributeValue.fromN("1"))));
    }

    private long counter(String counterOf) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("COUNT#" + counterOf), "sk", AttributeValue.fromS("COUNT")))).item();
        return item == null || !item.containsKey("n") ? 0 : Long.parseLong(item.get("n").n());
    }

    static Set<String> filterKeys(CatalogEntry entry) {
        Set<String> keys = new LinkedHashSet<>();
        entry.model().tags().forEach(t -> keys.add("TAG#" + t));
        entry.model().languages().forEach(l -> keys.add("LANG#" + l));
        if (!entry.model().author().id().isEmpty()) {
            keys.add("AUTHOR#" + entry.model().author().id());
        }
        if (entry.titleLanguage() != null && !entry.titleLanguage().isBlank()) {
            keys.add("TLANG#" + entry.titleLanguage());
        }
        return keys;
    }

    @Override
    public Optional<CatalogEntry> find(String modelId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table)
                .key(Map.of("pk", AttributeValue.fromS("MODEL#" + modelId), "sk", AttributeValue.fromS("MODEL")))).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(Json.read(item.get("body").s(), CatalogEntry.class));
    }

    @Override
    public ModelPage list(ListQuery query) {
        CatalogFilter filter = CatalogFilter.of(query);
        String partition = filter.indexPartition();
        long offset = (long) (query.pageNumber() - 1) * query.pageSize();
        List<ModelEntity> page = new ArrayList<>();
        long matched = 0;
        Map<String, AttributeValue> start = null;
        boolean countAll = !filter.coveredByIndex();
        do {
            QueryResponse r = dynamo.query(QueryRequest.builder().tableName(table).indexName(INDEX)
                    .keyConditionExpression("gsi1pk = :p")
                    .expressionAttributeValues(Map.of(":p", AttributeValue.fromS(partition)))
                    .scanIndexForward(false).exclusiveStartKey(start)
                    .limit(countAll ? 500 : (int) Math.min(500, offset + query.pageSize() - matched + 1)).build());
            for (Map<String, AttributeValue> item : r.items()) {
                CatalogEntry e = Json.read(item.get("body").s(), CatalogEntry.class);
                if (!filter.matches(e)) {
                    continue;
                }
                if (matched >= offset && page.size() < query.pageSize()) {
                    page.add(e.model());
                }
                matched++;
            }
            start = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? r.lastEvaluatedKey() : null;
        } while (start != null && (countAll || matched < offset + query.pageSize()));
        long total = countAll ? matched : counter(partition);
        return new ModelPage(total, page);
    }

    /** How a list query maps onto the index: one filter picks the partition, the rest are checked per item. */
    record CatalogFilter(String indexPartition, ListQuery query, boolean coveredByIndex) {

        static CatalogFilter of(ListQuery q) {
            // Tags must all match, so any one tag's partition holds every answer; several languages mean "any of",
            // which no single partition holds, so those fall back to the ALL partition and per-item checks.
            List<String> keys = new ArrayList<>();
            q.tags().forEach(t -> keys.add("TAG#" + t));
            if (q.languages().size() == 1) {
                keys.add("LANG#" + q.languages().get(0));
            }
            if (!q.self() && q.authorId() != null && !q.authorId().isBlank()) {
                keys.add("AUTHOR#" + q.authorId());
            }
            if (q.titleLanguages().size() == 1) {
                keys.add("TLANG#" + q.titleLanguages().get(0));
            }
            boolean single = keys.size() <= 1 && (q.title() == null || q.title().isBlank())
                    && q.languages().size() <= 1 && q.titleLanguages().size() <= 1;
            return new CatalogFilter(keys.isEmpty() ? ALL : keys.get(0), q, single);
        }

        boolean matches(CatalogEntry e) {
            ModelEntity m = e.model();
            if (query.title() != null && !query.title().isBlank()
                    && !m.title().toLowerCase(Locale.ROOT).contains(query.title().toLowerCase(Locale.ROOT))) {
                return false;
            }
            if (!m.tags().containsAll(query.tags())) {
                return false;
            }
            if (!query.languages().isEmpty() && query.languages().stream().noneMatch(m.languages()::contains)) {
                return false;
            }
            if (!query.self() && query.authorId() != null && !query.authorId().isBlank()
                    && !query.authorId().equals(m.author().id())) {
                return false;
            }
            return query.titleLanguages().isEmpty() || query.titleLanguages().contains(e.titleLanguage());
        }
    }
}
