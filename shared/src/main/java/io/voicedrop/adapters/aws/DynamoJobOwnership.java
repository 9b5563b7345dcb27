package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.JobOwnership;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * Job owners and request claims as control items of the jobs table (next to the job items, keyed by
 * {@code jobId} like them, but with no {@code status}/{@code updatedAt}, so they never appear in the status index
 * and {@link DynamoJobStore} never reads them as jobs):
 * <ul>
 *   <li>{@code jobId = "owner#<job id>"}: {@code owner} (S), {@code createdAt} (S). Kept for good.</li>
 *   <li>{@code jobId = "claim#<scope>"}: {@code boundJobId} (S), {@code fingerprint} (S), {@code expiresAt}
 *       (N, epoch seconds: the table's TTL attribute removes old claims; a claim past it is dead even before
 *       DynamoDB deletes it).</li>
 * </ul>
 * Needs {@code dynamodb:GetItem} and {@code dynamodb:PutItem} on the jobs table (granted to the API function).
 */
public final class DynamoJobOwnership implements JobOwnership {

    static final String OWNER_PREFIX = "owner#";
    static final String CLAIM_PREFIX = "claim#";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoJobOwnership(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public void recordOwner(String jobId, String owner) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(OWNER_PREFIX + jobId));
        item.put("owner", AttributeValue.fromS(owner));
        item.put("createdAt", AttributeValue.fromS(Instant.now().toString()));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(jobId)").build());
        } catch (ConditionalCheckFailedException alreadyOwned) {
            // the first owner stays
        }
    }

    @Override
    public Optional<String> ownerOf(String jobId) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS(OWNER_PREFIX + jobId)))).item();
        if (item == null || item.isEmpty() || item.get("owner") == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(item.get("owner").s());
    }

    @Override
    public Claim claim(String scope, String candidateJobId, String fingerprint, Instant now, Instant expiresAt) {
        for (int attempt = 0; attempt < 3; attempt++) {
            Claim c = tryClaim(scope, candidateJobId, fingerprint, now, expiresAt);
            if (c != null) {
                return c;
            }
        }
        throw new IllegalStateException("request claim " + scope + " could not be read or written");
    }

    @Override
    public Optional<Claim> findClaim(String scope, Instant now) {
        Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS(CLAIM_PREFIX + scope)))).item();
        if (existing == null || existing.isEmpty()
                || Long.parseLong(existing.get("expiresAt").n()) < now.getEpochSecond()) {
            return Optional.empty();
        }
        return Optional.of(new Claim(existing.get("boundJobId").s(), existing.get("fingerprint").s(), false));
    }

    private Claim tryClaim(String scope, String candidateJobId, String fingerprint, Instant now, Instant expiresAt) {
        String key = CLAIM_PREFIX + scope;
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(key));
        item.put("boundJobId", AttributeValue.fromS(candidateJobId));
        item.put("fingerprint", AttributeValue.fromS(fingerprint));
        item.put("expiresAt", AttributeValue.fromN(Long.toString(expiresAt.getEpochSecond())));
        try {
            dynamo.putItem(PutItemRequest.builder().tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(jobId) OR expiresAt < :now")
                    .expressionAttributeValues(Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond()))))
                    .build());
            return new Claim(candidateJobId, fingerprint, true);
        } catch (ConditionalCheckFailedException taken) {
            Map<String, AttributeValue> existing = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("jobId", AttributeValue.fromS(key)))).item();
            if (existing == null || existing.isEmpty()) {
                return null; // expired and deleted in between: try again
            }
            return new Claim(existing.get("boundJobId").s(), existing.get("fingerprint").s(), false);
        }
    }
}
