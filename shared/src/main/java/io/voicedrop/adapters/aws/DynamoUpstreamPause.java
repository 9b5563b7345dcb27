package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.UpstreamPause;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The pause flag as one control item in the jobs table (it has no status, so the status index never sees it). */
public final class DynamoUpstreamPause implements UpstreamPause {

    static final String ITEM_ID = "#control#upstream-pause";

    private final DynamoDbClient dynamo;
    private final String table;

    public DynamoUpstreamPause(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    @Override
    public Optional<State> current() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS(ITEM_ID)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new State(item.get("code").s(), item.get("message").s(),
                Instant.parse(item.get("since").s()), Instant.parse(item.get("nextProbeAt").s())));
    }

    @Override
    public void pause(String code, String message, Instant nextProbeAt) {
        String since = current().map(s -> s.since().toString()).orElse(Instant.now().toString());
        dynamo.putItem(b -> b.tableName(table).item(Map.of(
                "jobId", AttributeValue.fromS(ITEM_ID),
                "code", AttributeValue.fromS(code == null ? "unknown" : code),
                "message", AttributeValue.fromS(message == null ? "" : message),
                "since", AttributeValue.fromS(since),
                "nextProbeAt", AttributeValue.fromS(nextProbeAt.toString()))));
    }

    @Override
    public boolean claimProbe(State expected, Instant nextProbeAt) {
        try {
            dynamo.updateItem(b -> b.tableName(table).key(Map.of("jobId", AttributeValue.fromS(ITEM_ID)))
                    .updateExpression("SET nextProbeAt = :next")
                    .conditionExpression("nextProbeAt = :expected")
                    .expressionAttributeValues(Map.of(":next", AttributeValue.fromS(nextProbeAt.toString()),
                            ":expected", AttributeValue.fromS(expected.nextProbeAt().toString()))));
            return true;
        } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException taken) {
            return false;
        }
    }

    @Override
    public void resume() {
        dynamo.deleteItem(b -> b.tableName(table).key(Map.of("jobId", AttributeValue.fromS(ITEM_ID))));
    }
}
