package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.e2e.SharedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/** The fleet-wide rate budget on a real DynamoDB protocol peer, with a fixed clock so slots are exact. */
class UpstreamThrottleTest {

    private static DynamoDbClient dynamo;
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-27T10:00:00Z"), ZoneOffset.UTC);

    @BeforeAll
    static void client() {
        dynamo = new AwsClients(SharedStack.pipeline().config()).dynamoDb();
    }

    private static String scratchTable() {
        String name = "throttle-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("jobId").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("jobId").keyType(KeyType.HASH)));
        return name;
    }

    @Test
    void slotsAreSpacedByTheBudgetAndA429HalvesTheRateUntilSuccessesRestoreIt() {
        DynamoUpstreamThrottle throttle = new DynamoUpstreamThrottle(dynamo, scratchTable(), 10, CLOCK);
        Instant t0 = CLOCK.instant();
        assertEquals(t0, throttle.reserve());
        assertEquals(t0.plusMillis(100), throttle.reserve());
        assertEquals(t0.plusMillis(200), throttle.reserve());

        throttle.rateLimited(Duration.ofSeconds(2));
        Instant afterPause = throttle.reserve();
        assertEquals(t0.plusSeconds(2), afterPause, "no slot before Retry-After has passed");
        assertEquals(afterPause.plusMillis(200), throttle.reserve(), "half the rate: twice the spacing");

        for (int i = 0; i < 5; i++) {
            throttle.succeeded();
        }
        Instant a = throttle.reserve();
        assertEquals(a.plusMillis(100), throttle.reserve(), "successes bring the full budget back");
    }

    @Test
    void concurrentWorkersNeverShareASlot() throws Exception {
        String table = scratchTable();
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Instant>> slots = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            slots.add(pool.submit(() -> new DynamoUpstreamThrottle(dynamo, table, 10, CLOCK).reserve()));
        }
        Set<Instant> distinct = new HashSet<>();
        for (Future<Instant> f : slots) {
            distinct.add(f.get());
        }
        pool.shutdown();
        assertEquals(30, distinct.size());
        assertTrue(distinct.contains(CLOCK.instant().plusMillis(2900)));
    }
}
