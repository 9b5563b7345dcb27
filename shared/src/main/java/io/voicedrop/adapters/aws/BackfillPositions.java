package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.IndexBackfillTarget;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Where a backfill stopped, kept in one control item of the table it walks (so an operator can resume from any
 * machine), and the scan positions it holds. The item carries no index attribute, so no listing ever sees it.
 */
public final class BackfillPositions implements IndexBackfillTarget.SavedPosition {

    private final DynamoDbClient dynamo;
    private final String table;
    private final Map<String, AttributeValue> key;

    public BackfillPositions(DynamoDbClient dynamo, String table, Map<String, AttributeValue> key) {
        this.dynamo = dynamo;
        this.table = table;
        this.key = Map.copyOf(key);
    }

    @Override
    public Optional<String> read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                .item();
        return item == null || !item.containsKey("position") ? Optional.empty()
                : Optional.of(item.get("position").s());
    }

    /** Saves {@code position}; {@code null} removes the item (nothing left to resume). */
    @Override
    public void save(String position) {
        if (position == null) {
            dynamo.deleteItem(b -> b.tableName(table).key(key));
            return;
        }
        Map<String, AttributeValue> item = new HashMap<>(key);
        item.put("position", AttributeValue.fromS(position));
        item.put("savedAt", AttributeValue.fromS(Instant.now().toString()));
        dynamo.putItem(b -> b.tableName(table).item(item));
    }

    /**
     * One scanned page as a backfill step: {@code index} is called for each item found (true when it added it to
     * the index), and the next position is the page's {@code LastEvaluatedKey}.
     */
    public static IndexBackfillTarget.Step step(ScanResponse page, Predicate<Map<String, AttributeValue>> index) {
        long written = 0;
        for (Map<String, AttributeValue> item : page.items()) {
            if (index.test(item)) {
                written++;
            }
        }
        return new IndexBackfillTarget.Step(page.items().size(), written, page.items().size() - written,
                page.hasLastEvaluatedKey() ? encode(page.lastEvaluatedKey()) : null);
    }

    /** A scan's {@code LastEvaluatedKey} (string attributes, as every key of VoiceDrop's tables) as text. */
    public static String encode(Map<String, AttributeValue> lastEvaluatedKey) {
        if (lastEvaluatedKey == null || lastEvaluatedKey.isEmpty()) {
            return null;
        }
        Map<String, String> plain = new HashMap<>();
        lastEvaluatedKey.forEach((k, v) -> plain.put(k, v.s()));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    /** The {@code ExclusiveStartKey} of a position from {@link #encode}; null for null. */
    @SuppressWarnings("unchecked")
    public static Map<String, AttributeValue> decode(String position) {
        if (position == null) {
            return null;
        }
        Map<String, String> plain = Json.read(new String(Base64.getUrlDecoder().decode(position),
                StandardCharsets.UTF_8), Map.class);
        Map<String, AttributeValue> key = new HashMap<>();
        plain.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
        return key;
    }
}
