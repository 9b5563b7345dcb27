package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.UpstreamPause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The pause flag as one control item in the jobs table (it has no status, so the status index never sees it).
 *
 * <p>Every job asks whether the deployment is paused before it calls upstream, and almost always it is not. So a
 * worker may remember "not paused" for a few seconds ({@code noPauseFreshFor}) instead of reading the item for
 * every job: a pause set by this instance, or lifted by it, is seen at once; one set by another instance is seen
 * within that time, during which this instance's calls get the same refusal from upstream (unbilled: upstream
 * refuses a bad token or an empty balance before doing anything) and each one pauses again. A pause itself is never
 * remembered: while paused, every job reads the item, so a resume is seen at once.
 */
public final class DynamoUpstreamPause implements UpstreamPause {

    static final String ITEM_ID = "#control#upstream-pause";

    private final DynamoDbClient dynamo;
    private final String table;
    private final Clock clock;
    private final Duration noPauseFreshFor;
    /** Until when "not paused" holds without asking; null: ask. */
    private volatile Instant notPausedUntil;

    /** Reads the flag on every {@link #current()} (operator commands, tests). */
    public DynamoUpstreamPause(DynamoDbClient dynamo, String table) {
        this(dynamo, table, Clock.systemUTC(), Duration.ZERO);
    }

    public DynamoUpstreamPause(DynamoDbClient dynamo, String table, Clock clock, Duration noPauseFreshFor) {
        this.dynamo = dynamo;
        this.table = table;
        this.clock = clock;
        this.noPauseFreshFor = noPauseFreshFor;
    }

    @Override
    public Optional<State> current() {
        Instant fresh = notPausedUntil;
        if (fresh != null && clock.instant().isBefore(fresh)) {
            return Optional.empty();
        }
        Optional<State> state = read();
        notPausedUntil = state.isEmpty() && !noPauseFreshFor.isZero() ? clock.instant().plus(noPauseFreshFor) : null;
        return state;
    }

    private Optional<State> read() {
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
        notPausedUntil = null;
        String since = read().map(s -> s.since().toString()).orElse(clock.instant().toString());
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
        notPausedUntil = noPauseFreshFor.isZero() ? null : clock.instant().plus(noPauseFreshFor);
    }
}
