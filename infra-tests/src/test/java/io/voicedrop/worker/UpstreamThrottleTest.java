package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.e2e.SharedStack;
import io.voicedrop.sim.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The fleet-wide rate budget on a real DynamoDB protocol peer (moto), with clocks the test controls so slots are
 * exact. Every DynamoDB call is counted, so the tests also show what a send costs.
 */
class UpstreamThrottleTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    private static final AtomicInteger CALLS = new AtomicInteger();
    private static DynamoDbClient dynamo;

    @BeforeAll
    static void client() {
        ExecutionInterceptor counter = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                CALLS.incrementAndGet();
            }
        };
        dynamo = new AwsClients(SharedStack.pipeline().config(), List.of(counter)).dynamoDb();
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
        MutableClock clock = new MutableClock(T0);
        DynamoUpstreamThrottle throttle = new DynamoUpstreamThrottle(dynamo, scratchTable(), 10, clock);
        assertEquals(T0, throttle.reserve(), "an idle fleet sends at once");
        assertEquals(T0.plusMillis(100), throttle.reserve());
        assertEquals(T0.plusMillis(200), throttle.reserve());

        throttle.rateLimited(Duration.ofSeconds(2));
        Instant afterPause = throttle.reserve();
        assertEquals(T0.plusSeconds(2), afterPause, "no slot before Retry-After has passed");
        assertEquals(afterPause.plusMillis(200), throttle.reserve(), "half the rate: twice the spacing");

        // Each success raises the rate by a tenth of the budget: 5, 6, 7, 8, 9, 10 per second.
        List<Instant> slots = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            slots.add(throttle.reserve());
            throttle.succeeded();
        }
        Instant a = throttle.reserve();
        assertEquals(a.plusMillis(100), throttle.reserve(), "successes bring the full budget back");
        assertEquals(Duration.ofNanos(166_667_000), Duration.between(slots.get(1), slots.get(2)), "6 per second");
    }

    @Test
    void aFleetThatWasIdleStartsAtNowNotAtAStaleSlot() {
        MutableClock clock = new MutableClock(T0);
        DynamoUpstreamThrottle throttle = new DynamoUpstreamThrottle(dynamo, scratchTable(), 4, clock);
        throttle.reserve();
        throttle.reserve();
        clock.advance(Duration.ofMinutes(5));
        assertEquals(clock.instant(), throttle.reserve(), "no burst to catch up on slots nobody used");
        assertEquals(clock.instant().plusMillis(250), throttle.reserve());
    }

    @Test
    void aHundredConcurrentWorkersNeverExceedTheBudgetAndPayAtMostTwoCallsPerSend() throws Exception {
        String table = scratchTable();
        MutableClock clock = new MutableClock(T0);
        int workers = 100;
        int sendsEach = 3;
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<Instant>>> results = new ArrayList<>();
        int callsBefore = CALLS.get();
        for (int w = 0; w < workers; w++) {
            // One throttle per worker, as each Lambda instance has its own.
            DynamoUpstreamThrottle own = new DynamoUpstreamThrottle(dynamo, table, 100, clock);
            results.add(pool.submit(() -> {
                go.await();
                List<Instant> mine = new ArrayList<>();
                for (int i = 0; i < sendsEach; i++) {
                    mine.add(own.reserve());
                    own.succeeded();
                }
                return mine;
            }));
        }
        go.countDown();
        List<Instant> slots = new ArrayList<>();
        for (Future<List<Instant>> f : results) {
            slots.addAll(f.get());
        }
        pool.shutdown();
        int calls = CALLS.get() - callsBefore;

        List<Instant> sorted = slots.stream().sorted().toList();
        assertEquals(workers * sendsEach, sorted.stream().distinct().count(), "no slot handed out twice");
        assertEquals(T0, sorted.get(0));
        for (int i = 1; i < sorted.size(); i++) {
            assertEquals(Duration.ofMillis(10), Duration.between(sorted.get(i - 1), sorted.get(i)),
                    "slots are the budget's spacing apart, none squeezed in between");
        }
        for (int i = 0; i + 100 < sorted.size(); i++) {
            assertTrue(Duration.between(sorted.get(i), sorted.get(i + 100)).compareTo(Duration.ofSeconds(1)) >= 0,
                    "at most 100 sends in any second");
        }
        assertTrue(calls <= 2 * workers * sendsEach, "O(1) calls per send, no retry storm: " + calls);
    }

    @Test
    void manyWorkersHit429TogetherAndTheRateHalvesOncePerCongestionSignalNotOncePerWorker() throws Exception {
        String table = scratchTable();
        MutableClock clock = new MutableClock(T0);
        List<DynamoUpstreamThrottle> fleet = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            fleet.add(new DynamoUpstreamThrottle(dynamo, table, 20, clock));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            // First signal: all eight sent at the full rate (20/s) and all eight got a 429 for it.
            everyoneSendsThenGets429(pool, fleet);
            DynamoUpstreamThrottle probe = new DynamoUpstreamThrottle(dynamo, table, 20, clock);
            Instant a = probe.reserve();
            assertEquals(a.plusMillis(100), probe.reserve(), "10 per second: halved once, not 2^8 times");

            // Second signal: sends at the halved rate that still get 429s halve it once more.
            everyoneSendsThenGets429(pool, fleet);
            Instant b = probe.reserve();
            assertEquals(b.plusMillis(200), probe.reserve(), "5 per second after the second signal");
        } finally {
            pool.shutdown();
        }
    }

    /** Each worker reserves a slot (all before any answer arrives), then each gets a 429, on its own thread. */
    private static void everyoneSendsThenGets429(ExecutorService pool, List<DynamoUpstreamThrottle> fleet)
            throws Exception {
        CountDownLatch allSent = new CountDownLatch(fleet.size());
        List<Future<?>> done = new ArrayList<>();
        for (DynamoUpstreamThrottle own : fleet) {
            done.add(pool.submit(() -> {
                own.reserve();
                allSent.countDown();
                allSent.await();
                own.rateLimited(null);
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
    }

    @Test
    void retryAfterFromOneWorkerHoldsBackTheWholeFleetAndAShorterOneNeverPullsItForward() {
        String table = scratchTable();
        MutableClock clock = new MutableClock(T0);
        DynamoUpstreamThrottle one = new DynamoUpstreamThrottle(dynamo, table, 10, clock);
        DynamoUpstreamThrottle other = new DynamoUpstreamThrottle(dynamo, table, 10, clock);
        one.reserve();
        one.rateLimited(Duration.ofSeconds(30));
        other.rateLimited(Duration.ofSeconds(5)); // an earlier answer's shorter Retry-After, arriving later
        assertEquals(T0.plusSeconds(30), other.reserve(), "no worker sends before the longest Retry-After");
        assertTrue(one.reserve().isAfter(T0.plusSeconds(30)));
    }

    @Test
    void aLoweredBudgetAppliesAtOnceAndAnOldControlItemIsTakenOver() {
        String table = scratchTable();
        MutableClock clock = new MutableClock(T0);
        // The control item as the compare-and-set design wrote it.
        dynamo.putItem(b -> b.tableName(table).item(java.util.Map.of("jobId", AttributeValue.fromS(
                "#control#upstream-rate"), "rate", AttributeValue.fromN("10.0"), "nextSlotMs",
                AttributeValue.fromN(Long.toString(T0.plusSeconds(30).toEpochMilli())), "version",
                AttributeValue.fromN("7"))));
        DynamoUpstreamThrottle fast = new DynamoUpstreamThrottle(dynamo, table, 10, clock);
        assertEquals(T0, fast.reserve());
        assertEquals(T0.plusMillis(100), fast.reserve());
        DynamoUpstreamThrottle slower = new DynamoUpstreamThrottle(dynamo, table, 2, clock);
        Instant s = slower.reserve();
        assertEquals(T0.plusMillis(200), s);
        assertEquals(s.plusMillis(500), slower.reserve(), "the lowered budget spaces the following slots");
    }

    @Test
    void aReservationAsksForSlotsFromWhenTheStoreWillApplyItLedByItsLastRoundTrip() {
        MutableClock clock = new MutableClock(T0);
        String table = scratchTable();
        new DynamoUpstreamThrottle(dynamo, table, 10, clock).reserve();
        AtomicInteger updates = new AtomicInteger();
        // This instance's first reservation waits 1.5 s in the store's queue (the clock moves on meanwhile).
        ExecutionInterceptor queue = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (updates.incrementAndGet() == 1) {
                    clock.advance(Duration.ofMillis(1500));
                }
            }
        };
        DynamoDbClient slowStore = new AwsClients(SharedStack.pipeline().config(), List.of(queue)).dynamoDb();
        DynamoUpstreamThrottle throttle = new DynamoUpstreamThrottle(slowStore, table, 10, clock);
        assertEquals(T0.plusMillis(100), throttle.reserve(), "its slot passed while the request waited");
        assertEquals(clock.instant().plusMillis(1500), throttle.reserve(),
                "the next request expects the same wait: no slot that will have passed when the store applies it");
    }
}
