package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * Jobs in DynamoDB: one item per job. The whole job is one JSON attribute; {@code status}, {@code updatedAt} and
 * {@code version} are also top-level attributes so the status index and the compare-and-set conditions can see them.
 */
public final class DynamoJobStore implements JobStore {

    static final String STATUS_INDEX = "byStatus";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoJobStore(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public boolean createIfAbsent(Job job) {
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(job.withVersion(1)))
                    .conditionExpression("attribute_not_exists(jobId)").build());
            return true;
        } catch (ConditionalCheckFailedException exists) {
            return false;
        }
    }

    @Override
    public Optional<Job> find(String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS(jobId)))).item();
        return item == null || item.isEmpty() || !item.containsKey("body") ? Optional.empty() : Optional.of(fromItem(item));
    }

    @Override
    public Job update(Job changed) {
        Job next = changed.withVersion(changed.version() + 1);
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(toItem(next))
                    .conditionExpression("version = :expected")
                    .expressionAttributeValues(Map.of(":expected", AttributeValue.fromN(Long.toString(changed.version()))))
                    .build());
            return next;
        } catch (ConditionalCheckFailedException lost) {
            throw new JobChangedConcurrently(changed.jobId());
        }
    }

    @Override
    public JobPage listByStatus(JobStatus status, int limit, String cursor) {
        QueryRequest.Builder q = QueryRequest.builder().tableName(table).indexName(STATUS_INDEX)
                .keyConditionExpression("#s = :s")
                .expressionAttributeNames(Map.of("#s", "status"))
                .expressionAttributeValues(Map.of(":s", AttributeValue.fromS(status.name())))
                .scanIndexForward(false).limit(limit);
        if (cursor != null && !cursor.isBlank()) {
            q.exclusiveStartKey(decodeCursor(cursor));
        }
        QueryResponse r;
        try {
            r = dynamo.query(q.build());
        } catch (software.amazon.awssdk.services.dynamodb.model.DynamoDbException e) {
            if (cursor != null && e.statusCode() == 400) {
                throw new IllegalArgumentException("invalid cursor", e); // well-formed but not a key of this index
            }
            throw e;
        }
        List<Job> jobs = r.items().stream().map(DynamoJobStore::fromItem).toList();
        String next = r.hasLastEvaluatedKey() && !r.lastEvaluatedKey().isEmpty() ? encodeCursor(r.lastEvaluatedKey()) : null;
        return new JobPage(jobs, next);
    }

    private static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(job.jobId()));
        item.put("status", AttributeValue.fromS(job.status().name()));
        item.put("updatedAt", AttributeValue.fromS(job.updatedAt().toString()));
        item.put("version", AttributeValue.fromN(Long.toString(job.version())));
        item.put("body", AttributeValue.fromS(Json.write(job)));
        return item;
    }

    private static Job fromItem(Map<String, AttributeValue> item) {
        Job job = Json.read(item.get("body").s(), Job.class);
        return job.withVersion(Long.parseLong(item.get("version").n()));
    }

    private static String encodeCursor(Map<String, AttributeValue> key) {
        Map<String, String> plain = new HashMap<>();
        key.forEach((k, v) -> plain.put(k, v.s()));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Json.write(plain).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, AttributeValue> decodeCursor(String cursor) {
        try {
            String json = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Map<String, String> plain = Json.read(json, Map.class);
            Map<String, AttributeValue> key = new HashMap<>();
            plain.forEach((k, v) -> key.put(k, AttributeValue.fromS(v)));
            return key;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid cursor", e);
        }
    }
}
