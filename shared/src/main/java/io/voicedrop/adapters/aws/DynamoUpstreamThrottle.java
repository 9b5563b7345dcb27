package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.UpstreamThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;

/**
 * The shared rate budget as one control item in the jobs table: the current rate and the start of the next free
 * send slot. Every change is a compare-and-set on a version number, so concurrent workers never hand out the same
 * slot. Costs one read and one write per upstream call, which is small next to the call itself.
 */
public final class DynamoUpstreamThrottle implements UpstreamThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoUpstreamThrottle.class);
    static final String ITEM_ID = "#control#upstream-rate";
    private static final int MAX_TRIES = 20;

    private final DynamoDbClient dynamo;
    private final String table;
    private final double maxRate;
    private final double minRate;
    private final Clock clock;

    public DynamoUpstreamThrottle(DynamoDbClient dynamo, String table, double maxRatePerSecond, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.maxRate = maxRatePerSecond;
        this.minRate = Math.min(maxRatePerSecond, 0.05);
        this.clock = clock;
    }

    private record State(double rate, long nextSlotMs, long version) {
    }

    @Override
    public Instant reserve() {
        for (int i = 0; i < MAX_TRIES; i++) {
            State s = read();
            long now = clock.millis();
            long slot = Math.max(now, s.nextSlotMs());
            long gap = (long) Math.ceil(1000.0 / s.rate());
            if (write(new State(s.rate(), slot + gap, s.version() + 1), s.version())) {
                return Instant.ofEpochMilli(slot);
            }
        }
        LOG.warn("rate budget is heavily contended; sending without a reserved slot");
        return clock.instant();
    }

    @Override
    public void rateLimited(Duration retryAfter) {
        long pause = retryAfter == null ? 0 : retryAfter.toMillis();
        update(read(), s -> new State(Math.max(minRate, s.rate() / 2),
                Math.max(s.nextSlotMs(), clock.millis() + pause), s.version() + 1));
    }

    @Override
    public void succeeded() {
        State s = read();
        if (s.rate() < maxRate) {
            update(s, c -> new State(Math.min(maxRate, c.rate() + maxRate / 10), c.nextSlotMs(), c.version() + 1));
        }
    }

    /** Compare-and-set from {@code first}; after a lost race the state is read again and the change re-applied. */
    private void update(State first, java.util.function.UnaryOperator<State> change) {
        State s = first;
        for (int i = 0; i < MAX_TRIES; i++) {
            if (write(change.apply(s), s.version())) {
                return;
            }
            s = read();
        }
    }

    private State read() {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of("jobId", AttributeValue.fromS(ITEM_ID)))).item();
        if (item == null || item.isEmpty()) {
            return new State(maxRate, 0, 0);
        }
        // A lowered budget in the configuration applies at once, even to a rate stored before.
        double rate = Math.min(maxRate, Double.parseDouble(item.get("rate").n()));
        return new State(rate, Long.parseLong(item.get("nextSlotMs").n()), Long.parseLong(item.get("version").n()));
    }

    private boolean write(State next, long expectedVersion) {
        Map<String, AttributeValue> item = new HashMap<>();
        item.put("jobId", AttributeValue.fromS(ITEM_ID));
        item.put("rate", AttributeValue.fromN(Double.toString(next.rate())));
        item.put("nextSlotMs", AttributeValue.fromN(Long.toString(next.nextSlotMs())));
        item.put("version", AttributeValue.fromN(Long.toString(next.version())));
        PutItemRequest.Builder req = PutItemRequest.builder().tableName(table).item(item);
        if (expectedVersion == 0) {
            req.conditionExpression("attribute_not_exists(jobId)");
        } else {
            req.conditionExpression("version = :v")
                    .expressionAttributeValues(Map.of(":v", AttributeValue.fromN(Long.toString(expectedVersion))));
        }
        try {
            dynamo.putItem(req.build());
            return true;
        } catch (ConditionalCheckFailedException lost) {
            return false;
        }
    }
}
