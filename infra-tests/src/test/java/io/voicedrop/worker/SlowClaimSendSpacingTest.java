package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.DynamoModelCatalog;
import io.voicedrop.adapters.aws.DynamoUpstreamThrottle;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.WorkOutcome;
import io.voicedrop.e2e.SharedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * A fleet whose job-store writes are slow and uneven (the claim takes anywhere from 0 to 4 s, as on an overloaded
 * store) still sends at the budget's spacing: the send slot is taken after the claim, right before the call, so
 * the claim's latency never lies between slot and send. Real emulator tables, the Fish simulator's rate limit
 * (a token bucket of R per second), one rate-budget client per concurrent worker as in Lambda.
 */
class SlowClaimSendSpacingTest {

    /**
     * The simulator's limit: a token bucket of 3 per second, holding at most 3. Low, so that even an emulator on a
     * loaded machine keeps the fleet at its budget: only there do bunched sends meet an empty bucket.
     */
    private static final int LIMIT = 3;
    /**
     * The fleet's budget a little under the limit, as a deployment sets it: the slack keeps the bucket from running
     * dry on the scheduling jitter of a loaded test machine, but not from sends that bunch by seconds.
     */
    private static final double BUDGET = 2.7;
    private static final int JOBS = 60;
    private static final int WORKERS = 16;
    private static final long MAX_WRITE_DELAY_MS = 4000;

    @Test
    void slowUnevenClaimWritesDoNotBunchSendsInto429s() throws Exception {
        WorkerHarness h = new WorkerHarness(SharedStack.pipeline(), SharedStack.simulator());
        DynamoDbClient slow = new AwsClients(h.config, List.of(slowJobWrites(h.config.jobsTable()))).dynamoDb();
        String budgetTable = scratchTable(h.dynamo);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            ids.add(h.newJob("slow claim " + i).jobId());
        }
        ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>(ids);
        int createsBefore = h.simulator.createCalls();
        int rejectedBefore = h.simulator.status429Count();
        h.simulator.setRateLimit(LIMIT);
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                // Each worker is a Lambda instance of its own: its own stores' client and rate-budget client.
                JobRunner runner = h.runner(new DynamoJobStore(slow, h.config.jobsTable()),
                        new DynamoModelCatalog(slow, h.config.modelsTable()),
                        new DynamoUpstreamThrottle(slow, budgetTable, BUDGET, Clock.systemUTC()));
                workers.add(pool.submit(() -> drain(runner, pending)));
            }
            for (Future<?> f : workers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
            h.simulator.setRateLimit(0);
        }
        int creates = h.simulator.createCalls() - createsBefore;
        int rejected = h.simulator.status429Count() - rejectedBefore;

        for (String id : ids) {
            assertEquals(JobStatus.SUCCEEDED, h.reload(id).status(), id);
            assertEquals(1, h.modelsUpstreamFor(id), "exactly one billable create per job");
        }
        assertTrue(rejected * 100 <= creates, "429s at most 1 % of " + creates + " create calls: " + rejected);
        assertEquals(JOBS, creates - rejected, "one accepted create per job");
    }

    /** One worker's deliveries: a job handed back (a lease, a backoff) is delivered again after its delay. */
    private static Void drain(JobRunner runner, ConcurrentLinkedQueue<String> pending) throws InterruptedException {
        String id;
        while ((id = pending.poll()) != null) {
            WorkOutcome outcome = runner.run(id, Instant.now().plus(Duration.ofSeconds(60)));
            if (outcome.action() == WorkOutcome.Action.RETRY_LATER) {
                Thread.sleep(Math.min(2000, outcome.delay().toMillis()));
                pending.add(id);
            }
        }
        return null;
    }

    /** Every job write (the claim, the result) waits a random 0..4 s before it is sent. */
    private static ExecutionInterceptor slowJobWrites(String jobsTable) {
        return new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                if (context.request() instanceof PutItemRequest put && jobsTable.equals(put.tableName())) {
                    try {
                        Thread.sleep(ThreadLocalRandom.current().nextLong(MAX_WRITE_DELAY_MS + 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
    }

    /** The rate budget's control item in a table of its own, so no other test's sends share this budget. */
    private static String scratchTable(DynamoDbClient dynamo) {
        String name = "budget-" + UUID.randomUUID();
        dynamo.createTable(b -> b.tableName(name).billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(a -> a.attributeName("jobId").attributeType(ScalarAttributeType.S))
                .keySchema(k -> k.attributeName("jobId").keyType(KeyType.HASH)));
        return name;
    }
}
