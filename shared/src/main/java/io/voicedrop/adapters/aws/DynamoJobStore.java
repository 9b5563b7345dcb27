package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 *
 * <p>Two more attributes key the {@value #OWNER_INDEX} index, which lists jobs newest first without a scan:
 * {@code audience} ({@value #DEPLOYMENT} for the deployment's own jobs, {@code owner:<owner>} for a job asked for
 * through the API) and {@code createdKey} (the creation time, fixed width so that text order is time order, then
 * {@code #} and the job id, so the order is total). Both follow from facts of the job that never change, so every
 * write sets them again and no write can lose them. Control items of the table (owner records, claims, the rate
 * budget) have neither and stay out of the index.
 */
public final class DynamoJobStore implements JobStore {

    static final String STATUS_INDEX = "byStatus";
    static final String OWNER_INDEX = "byAudience";
    static final String DEPLOYMENT = "deployment";
    /** Fixed width (nanoseconds always written), so that comparing the text compares the instants. */
    private static final DateTimeFormatter SORTABLE = DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

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

    @Override
    public List<Job> listNewest(String owner, int limit, Position after) {
        Map<String, String> names = new HashMap<>(Map.of("#a", "audience"));
        Map<String, AttributeValue> values = new HashMap<>(Map.of(":a", AttributeValue.fromS(audience(owner))));
        String condition = "#a = :a";
        if (after != null) {
            names.put("#k", "createdKey");
            values.put(":k", AttributeValue.fromS(createdKey(after.createdAt(), after.jobId())));
            condition += " AND #k < :k";
        }
        QueryRequest q = QueryRequest.builder().tableName(table).indexName(OWNER_INDEX)
                .keyConditionExpression(condition).expressionAttributeNames(names).expressionAttributeValues(values)
                .scanIndexForward(false).limit(limit).build();
        return dynamo.query(q).items().stream().map(DynamoJobStore::fromItem).toList();
    }

    static String audience(String owner) {
        return owner == null ? DEPLOYMENT : "owner:" + owner;
    }

    static String createdKey(Instant createdAt, String jobId) {
        return SORTABLE.format(createdAt) + "#" + jobId;
    }

    static Map<String, AttributeValue> toItem(Job job) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(job.jobId()));
        item.put("status", AttributeValue.fromS(job.status().name()));
        item.put("updatedAt", AttributeValue.fromS(SORTABLE.format(job.updatedAt())));
        if (job.createdAt() != null) {
            item.put("audience", AttributeValue.fromS(audience(job.owner())));
            item.put("createdKey", AttributeValue.fromS(createdKey(job.createdAt(), job.jobId())));
        }
        item.put("version", AttributeValue.fromN(Long.toString(job.version())));
        item.put("body", AttributeValue.fromS(Json.write(job)));
        return item;
    }

    static Job fromItem(Map<String, AttributeValue> item) {
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
