package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.UpstreamThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * The fleet's shared rate budget as a ticket dispenser: one control item in the jobs table holds the start of the
 * next free send slot ({@code nextSlotUs}) and the spacing between slots ({@code gapUs}, 1/rate). Reserving a slot
 * is one atomic {@code UpdateItem} that adds the gap to the next slot and returns it, so concurrent workers never
 * share a slot, never read first and never retry a lost race: O(1) calls per send at any concurrency. Only when the
 * fleet was idle (the next slot lies in the past) is the slot set to now instead, under a condition; two idle
 * reservers racing cost one failed condition, after which the loser takes the ordinary path.
 *
 * <p>AIMD: a 429 doubles the gap (halves the rate) once per congestion signal, i.e. only if the gap is still the
 * one the caller sent under, so a burst of 429s from one overfull second does not collapse the rate; Retry-After
 * moves the next slot past it. A success narrows the gap by a tenth of the budget's rate, again only from the gap
 * it was sent under; at the full budget a success costs no call at all.
 *
 * <p>Why one item and not per-second slot items: a slot item per second costs one call per send only while fewer
 * workers wait than one second's budget; with a deeper backlog every reserver walks the full seconds (O(backlog/R)
 * calls). The single counter is O(1) at any backlog, and its write rate is the send rate, at most 100/s (the
 * template's bound for {@code UpstreamRequestsPerSecond}), a tenth of what one DynamoDB item sustains.
 */
public final class DynamoUpstreamThrottle implements UpstreamThrottle {

    private static final Logger LOG = LoggerFactory.getLogger(DynamoUpstreamThrottle.class);
    static final String ITEM_ID = "#control#upstream-rate";
    private static final int MAX_TRIES = 4;
    private static final Map<String, AttributeValue> KEY = Map.of("jobId", AttributeValue.fromS(ITEM_ID));
    private static final Map<String, String> NAMES = Map.of("#n", "nextSlotUs", "#g", "gapUs");

    private final DynamoDbClient dynamo;
    private final String table;
    /** The budget's spacing: the smallest gap, i.e. the configured rate. */
    private final long budgetGapUs;
    /** The slowest the fleet goes after repeated 429s: one send per 20 s (or the budget, if slower). */
    private final long maxGapUs;
    private final double maxRate;
    private final Clock clock;
    /** The gap the calling thread's last slot was reserved under (a Lambda instance runs one job at a time). */
    private final ThreadLocal<Long> sentUnder = new ThreadLocal<>();
    /** Whether the last reservation found the fleet busy: decides which update to try first. */
    private volatile boolean busy = true;
    /** The round trip of this instance's last reservation, in µs, as the store's lead over our clock. */
    private volatile long lastRoundTripUs;
    /** A huge round trip (a stall rather than a queue) is capped, so that it cannot push the fleet's slots far out. */
    private static final long MAX_LEAD_US = 2_000_000;

    public DynamoUpstreamThrottle(DynamoDbClient dynamo, String table, double maxRatePerSecond, Clock clock) {
        this.dynamo = dynamo;
        this.table = table;
        this.maxRate = maxRatePerSecond;
        this.budgetGapUs = gapFor(maxRatePerSecond);
        this.maxGapUs = Math.max(budgetGapUs, gapFor(0.05));
        this.clock = clock;
    }

    private static long gapFor(double ratePerSecond) {
        return (long) Math.ceil(1_000_000 / ratePerSecond);
    }

    /**
     * Reserves the next slot. "Now" in the request is when the store will apply it, estimated as this instance's
     * clock plus the round trip its last reservation took: a request that waited in the store's queue would
     * otherwise be handed slots that have passed by the time it is applied, and the answers of such a queue,
     * arriving together, would send together. With DynamoDB's few milliseconds the lead is negligible.
     */
    @Override
    public Instant reserve() {
        long slot = reserveOnce();
        return Instant.ofEpochSecond(slot / 1_000_000, (slot % 1_000_000) * 1000);
    }

    /** One reservation: the slot in µs. */
    private long reserveOnce() {
        long now = nowUs() + lastRoundTripUs;
        for (int i = 0; i < MAX_TRIES; i++) {
            boolean tryBusy = busy == (i % 2 == 0);
            long triedAt = nowUs();
            Map<String, AttributeValue> item = tryBusy ? takeNext(now) : startAtNow(now);
            if (item != null) {
                lastRoundTripUs = Math.max(0, Math.min(MAX_LEAD_US, nowUs() - triedAt));
                busy = tryBusy;
                long gap = number(item, "gapUs");
                long slot = number(item, "nextSlotUs") - gap;
                sentUnder.set(gap);
                if (gap < budgetGapUs) {
                    adoptBudget(gap);
                }
                return slot;
            }
        }
        LOG.warn("could not reserve a send slot; sending without one");
        return nowUs();
    }

    /** The fleet is busy (the next slot is now or later): take it and move it on by the gap. */
    private Map<String, AttributeValue> takeNext(long now) {
        return update("SET #n = #n + #g", "#n >= :now AND attribute_exists(#g)", Map.of(":now", n(now)));
    }

    /** The fleet was idle (no slot booked from now on): the slot is now, the next one a gap later. */
    private Map<String, AttributeValue> startAtNow(long now) {
        return update("SET #g = if_not_exists(#g, :budget), #n = :now + if_not_exists(#g, :budget)",
                "attribute_not_exists(#n) OR #n < :now", Map.of(":now", n(now), ":budget", n(budgetGapUs)));
    }

    @Override
    public void rateLimited(Duration retryAfter) {
        Long under = sentUnder.get();
        long gap = under == null ? budgetGapUs : under;
        if (gap < maxGapUs) {
            // Halve the rate once for every send made at the current rate, not once per 429.
            update("SET #g = :doubled", "#g = :under OR attribute_not_exists(#g)",
                    Map.of(":doubled", n(Math.min(maxGapUs, 2 * gap)), ":under", n(gap)));
        }
        if (retryAfter != null && !retryAfter.isZero() && !retryAfter.isNegative()) {
            long after = nowUs() + retryAfter.toNanos() / 1000;
            update("SET #n = :after, #g = if_not_exists(#g, :budget)", "attribute_not_exists(#n) OR #n < :after",
                    Map.of(":after", n(after), ":budget", n(budgetGapUs)));
        }
    }

    @Override
    public void succeeded() {
        Long under = sentUnder.get();
        if (under == null || under <= budgetGapUs) {
            return; // at the full budget: nothing to raise
        }
        long raised = Math.max(budgetGapUs, gapFor(1_000_000.0 / under + maxRate / 10));
        lowerTo(raised, under);
    }

    /** The configured budget was lowered: it applies from the slot after the one just reserved. */
    private void adoptBudget(long gapFound) {
        update("SET #g = :budget, #n = #n + :more", "#g = :found", Map.of(":budget", n(budgetGapUs),
                ":more", n(budgetGapUs - gapFound), ":found", n(gapFound)));
    }

    /** Narrows the gap to {@code gap} if it is still {@code from}; someone else's change wins otherwise. */
    private void lowerTo(long gap, long from) {
        update("SET #g = :gap", "#g = :from", Map.of(":gap", n(gap), ":from", n(from)));
    }

    /** One conditional update of the control item; its new state, or null when the condition did not hold. */
    private Map<String, AttributeValue> update(String expression, String condition, Map<String, AttributeValue> values) {
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(KEY).updateExpression(expression)
                    .conditionExpression(condition).expressionAttributeNames(namesIn(expression + condition))
                    .expressionAttributeValues(values)
                    .returnValues(ReturnValue.ALL_NEW));
            return r.attributes();
        } catch (ConditionalCheckFailedException notNow) {
            return null;
        }
    }

    /** DynamoDB refuses names an expression does not use. */
    private static Map<String, String> namesIn(String expressions) {
        Map<String, String> used = new java.util.HashMap<>();
        NAMES.forEach((placeholder, name) -> {
            if (expressions.contains(placeholder)) {
                used.put(placeholder, name);
            }
        });
        return used;
    }

    private long nowUs() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        return Long.parseLong(item.get(name).n());
    }

    private static AttributeValue n(long v) {
        return AttributeValue.fromN(Long.toString(v));
    }
}
