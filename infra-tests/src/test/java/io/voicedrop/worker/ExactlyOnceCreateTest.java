package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ListQuery;
import io.voicedrop.core.model.ModelPage;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.WorkOutcome;
import io.voicedrop.e2e.SharedStack;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

/**
 * Exactly one billable create per job through crashes, lost answers and duplicate deliveries. Each test asserts the
 * number of models upstream, the final job state and what happens to the message.
 */
class ExactlyOnceCreateTest {

    private static WorkerHarness h;

    @BeforeAll
    static void harness() {
        h = new WorkerHarness(SharedStack.pipeline(), SharedStack.simulator());
    }

    private static Instant deadline() {
        return Instant.now().plus(Duration.ofSeconds(60));
    }

    @Test
    void aCreateWhoseAnswerTimedOutIsAdoptedNotRepeated() {
        Job job = h.newJob("lost answer");
        h.simulator.createThenTimeout(Duration.ofSeconds(4));
        WorkOutcome outcome = h.runner().run(job.jobId(), deadline());

        Job done = h.reload(job.jobId());
        assertEquals(WorkOutcome.Action.DONE, outcome.action(), outcome.toString());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
        assertEquals("adopted", done.history().get(done.history().size() - 1).outcome(), done.history().toString());
        assertEquals("timeout", done.history().get(0).code());
    }

    @Test
    void aCreateWhoseConnectionWasResetIsAdoptedNotRepeated() {
        Job job = h.newJob("reset answer");
        h.simulator.createThenReset();
        h.runner().run(job.jobId(), deadline());

        Job done = h.reload(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
        assertEquals("connection_error", done.history().get(0).code());
    }

    @Test
    void aWorkerKilledBetweenUpstreamSuccessAndItsWriteIsRepairedByTheRedelivery() {
        Job job = h.newJob("killed after create");
        AtomicInteger saves = new AtomicInteger();
        JobRunner crashing = h.runner(j -> j, c -> new FailingCatalog(c, saves));
        // The process "dies" right after upstream answered: the message is not acknowledged.
        assertThrows(IllegalStateException.class, () -> crashing.run(job.jobId(), deadline()));
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));

        WorkOutcome redelivery = h.runner().run(job.jobId(), deadline());
        Job done = h.reload(job.jobId());
        assertEquals(WorkOutcome.Action.DONE, redelivery.action());
        assertEquals(JobStatus.SUCCEEDED, done.status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()), "the redelivery adopted instead of creating again");
        assertTrue(h.catalog.find(done.modelId()).isPresent());
    }

    @Test
    void throttlingOnTheJobWriteAfterCreationLeadsToOneModel() {
        Job job = h.newJob("throttled write");
        AtomicInteger updates = new AtomicInteger();
        // Fail the write that records the created model (the 2nd update: claim with createStarted, result).
        JobRunner throttled = h.runner(j -> new ThrottledJobs(j, updates, 2), c -> c);
        assertThrows(ProvisionedThroughputExceededException.class, () -> throttled.run(job.jobId(), deadline()));
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));

        h.runner().run(job.jobId(), deadline());
        assertEquals(JobStatus.SUCCEEDED, h.reload(job.jobId()).status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
    }

    @Test
    void twoConcurrentDeliveriesOfOneMessageCreateOneModel() throws Exception {
        Job job = h.newJob("delivered twice at once");
        h.simulator.setLatency(Duration.ofMillis(500));
        try {
            ExecutorService pool = Executors.newFixedThreadPool(2);
            Callable<WorkOutcome> delivery = () -> h.runner().run(job.jobId(), deadline());
            List<Future<WorkOutcome>> outcomes = pool.invokeAll(List.of(delivery, delivery));
            pool.shutdown();
            long returned = 0;
            for (Future<WorkOutcome> f : outcomes) {
                returned += f.get().action() == WorkOutcome.Action.RETRY_LATER ? 1 : 0;
            }
            assertEquals(1, returned, "the losing delivery is handed back to the queue");
        } finally {
            h.simulator.setLatency(Duration.ZERO);
        }
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
        // The returned message comes back later and finds the job done.
        WorkOutcome later = h.runner().run(job.jobId(), deadline());
        assertEquals(WorkOutcome.Action.DONE, later.action());
        assertEquals(JobStatus.SUCCEEDED, h.reload(job.jobId()).status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
    }

    @Test
    void noBalancePausesTheDeploymentRaisesTheAlarmMetricAndKeepsTheJobQueued() {
        Job job = h.newJob("no balance");
        h.simulator.failNextCreates(1, 403);
        long pausedBefore = h.metrics.getOrDefault("UpstreamPaused", 0L);
        try {
            WorkOutcome outcome = h.runner().run(job.jobId(), deadline());
            Job waiting = h.reload(job.jobId());
            assertEquals(WorkOutcome.Action.DONE, outcome.action(), "the message is replaced by a delayed one");
            assertTrue(h.enqueued.contains(job.jobId()));
            assertEquals(JobStatus.RETRY_WAIT, waiting.status());
            assertEquals(0, waiting.attempts(), "a blocked deployment does not use up the job's attempts");
            assertEquals(pausedBefore + 1, h.metrics.get("UpstreamPaused"));
            assertEquals(0, h.modelsUpstreamFor(job.jobId()));

            // Another job arriving while paused never reaches upstream before the probe is due.
            Job other = h.newJob("arrives while paused");
            int calls = h.simulator.createCalls();
            h.runner().run(other.jobId(), deadline());
            assertEquals(calls, h.simulator.createCalls());
            assertEquals(JobStatus.QUEUED, h.reload(other.jobId()).status());
        } finally {
            SharedStack.pipeline().context().getBean(io.voicedrop.core.port.UpstreamPause.class).resume();
        }
    }

    @Test
    void aMessageForAnUnknownJobIsDeadLettered() {
        assertEquals(WorkOutcome.Action.DEAD_LETTER, h.runner().run("no-such-job", deadline()).action());
    }

    /** A catalog whose first save fails, as if the Lambda were killed right after upstream answered. */
    private record FailingCatalog(ModelCatalog real, AtomicInteger saves) implements ModelCatalog {
        public void save(CatalogEntry entry) {
            if (saves.incrementAndGet() == 1) {
                throw new IllegalStateException("worker killed");
            }
            real.save(entry);
        }
        public void erase(String id) { real.erase(id); }
        public Optional<CatalogEntry> find(String id) { return real.find(id); }
        public ModelPage list(ListQuery q) { return real.list(q); }
    }

    /** A job store whose n-th update is throttled by DynamoDB (after the SDK's own retries gave up). */
    private record ThrottledJobs(JobStore real, AtomicInteger updates, int failOn) implements JobStore {
        public boolean createIfAbsent(Job job) { return real.createIfAbsent(job); }
        public Optional<Job> find(String id) { return real.find(id); }
        public Job update(Job changed) {
            if (updates.incrementAndGet() == failOn) {
                throw ProvisionedThroughputExceededException.builder().message("throttled").build();
            }
            return real.update(changed);
        }
        public JobPage listByStatus(JobStatus s, int limit, String cursor) { return real.listByStatus(s, limit, cursor); }
        public List<Job> listNewest(String owner, int limit, Position after) { return real.listNewest(owner, limit, after); }
    }
}
