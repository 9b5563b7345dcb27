package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.IndexBackfillTarget;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Adds jobs written before the {@value DynamoJobStore#OWNER_INDEX} index existed to it (its keys {@code audience}
 * and {@code createdKey}, derived from the job exactly as {@link DynamoJobStore} derives them on every write), so
 * that {@code GET /jobs} lists them without waiting for their next write.
 *
 * <p>Each job item of a page without {@code audience} is read again (consistently) and updated with only those two
 * attributes, on the condition that its {@code version} is still the one read and it still lacks them. The version
 * is not raised and the job body is untouched: a worker's compare-and-set on the job still succeeds, and the
 * stream's notifier sees no change of status (no event, no webhook). A job deleted meanwhile fails the condition
 * (an update never creates it again); one written meanwhile got the attributes from that write. A job without a
 * creation time (none is written so today) cannot be placed in the index and is skipped.
 */
public final class JobListIndexBackfill implements IndexBackfillTarget {

    private static final int PAGE = 1000;
    private static final int MAX_ATTEMPTS = 5;
    static final String POSITION_ID = "#control#backfill-" + DynamoJobStore.OWNER_INDEX;

    private final DynamoDbClient dynamo;
    private final String table;
    private final BackfillPositions positions;

    public JobListIndexBackfill(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
        this.positions = new BackfillPositions(dynamo, table, Map.of("jobId", AttributeValue.fromS(POSITION_ID)));
    }

    @Override
    public String name() {
        return "job list index " + DynamoJobStore.OWNER_INDEX + " (jobs table)";
    }

    @Override
    public boolean exists() {
        try {
            var t = dynamo.describeTable(b -> b.tableName(table)).table();
            return t.hasGlobalSecondaryIndexes() && t.globalSecondaryIndexes().stream()
                    .anyMatch(i -> DynamoJobStore.OWNER_INDEX.equals(i.indexName()));
        } catch (ResourceNotFoundException e) {
            throw new IllegalStateException("no jobs table " + table, e);
        }
    }

    @Override
    public SavedPosition position() {
        return positions;
    }

    @Override
    public Step step(String position) {
        ScanResponse page = dynamo.scan(b -> b.tableName(table).limit(PAGE)
                .exclusiveStartKey(BackfillPositions.decode(position))
                .filterExpression("attribute_exists(body) AND attribute_not_exists(audience)")
                .projectionExpression("jobId"));
        return BackfillPositions.step(page, item -> index(item.get("jobId").s()));
    }

    /** Adds one job to the index; false when there was nothing to do (listed meanwhile, gone, or undatable). */
    boolean index(String jobId) {
        Map<String, AttributeValue> key = Map.of("jobId", AttributeValue.fromS(jobId));
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(true))
                    .item();
            if (item == null || !item.containsKey("body") || item.containsKey("audience")) {
                return false;
            }
            Job job = Json.read(item.get("body").s(), Job.class);
            if (job.createdAt() == null) {
                return false;
            }
            Map<String, String> names = new HashMap<>(Map.of("#a", "audience", "#k", "createdKey", "#v", "version"));
            Map<String, AttributeValue> values = new HashMap<>(Map.of(
                    ":a", AttributeValue.fromS(DynamoJobStore.audience(job.owner())),
                    ":k", AttributeValue.fromS(DynamoJobStore.createdKey(job.createdAt(), job.jobId()))));
            String condition = "attribute_not_exists(#a) AND ";
            if (item.containsKey("version")) {
                values.put(":v", item.get("version"));
                condition += "#v = :v";
            } else {
                condition += "attribute_exists(body) AND attribute_not_exists(#v)";
            }
            String expected = condition;
            try {
                dynamo.updateItem(b -> b.tableName(table).key(key).updateExpression("SET #a = :a, #k = :k")
                        .conditionExpression(expected).expressionAttributeNames(names)
                        .expressionAttributeValues(values));
                return true;
            } catch (ConditionalCheckFailedException changed) {
                // Written or deleted since it was read: read it again.
            }
        }
        return false;
    }
}
