package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.aws.AwsClients;
import io.voicedrop.adapters.aws.DynamoJobStore;
import io.voicedrop.adapters.aws.EventBridgeJobEvents;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.view.JobStateChange;
import io.voicedrop.e2e.SharedStack;
import io.voicedrop.notify.NotifyHandler;
import io.voicedrop.wiring.Wiring;
import io.voicedrop.testing.Jobs;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The notify function dies while announcing (an {@link Error}, as a killed process ends an invocation: no batch
 * response at all), after the job's writes are committed. Its own jobs table with a stream in the shared emulator,
 * read by the runner's {@link StreamPoller} exactly as Lambda's mapping would, publishing to the real bus (the shared
 * stack's) through a publisher that dies on a chosen call.
 */
class JobEventsCrashTest {

    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);

    /** The real publisher, except that call number {@code dieAt} kills the invocation before it publishes. */
    static final class DyingPublisher implements JobEventPublisher {
        final JobEventPublisher real;
        final int dieAt;
        final AtomicInteger calls = new AtomicInteger();

        DyingPublisher(JobEventPublisher real, int dieAt) {
            this.real = real;
            this.dieAt = dieAt;
        }

        @Override
        public void publish(JobStateChange change) {
            if (calls.incrementAndGet() == dieAt) {
                throw new SimulatedCrash();
            }
            real.publish(change);
        }
    }

    static final class SimulatedCrash extends Error {
        SimulatedCrash() {
            super("the notify function's process died", null, false, false);
        }
    }

    @Test
    void aCrashBeforeTheFirstPublishLosesNothingAndRepeatsNothing() {
        Fixture f = new Fixture("first", 1);
        try (f) {
            String jobId = f.writeThreeStatuses();
            f.drainStream();
            List<JsonNode> events = f.tap.await(jobId, e -> e.size() >= 3, Duration.ofSeconds(30));
            sleep(1000);
            events = f.tap.eventsOf(jobId);
            assertEquals(List.of("QUEUED", "RUNNING", "SUCCEEDED"), statuses(events),
                    "the batch is retried from its first record: every event once");
            assertTrue(f.publisher.calls.get() >= 4, "the crashed call plus three publishes");
        }
    }

    @Test
    void aCrashMidBatchRepeatsOnlyWhatWasAlreadyOutUnderTheSameEventId() {
        Fixture f = new Fixture("mid", 2);
        try (f) {
            String jobId = f.writeThreeStatuses();
            f.drainStream();
            List<JsonNode> events = f.tap.await(jobId, e -> statuses(e).contains("SUCCEEDED"), Duration.ofSeconds(30));
            sleep(1000);
            events = f.tap.eventsOf(jobId);
            // At least once: QUEUED went out before the process died, and the whole batch is handed over again.
            assertEquals(List.of("QUEUED", "QUEUED", "RUNNING", "SUCCEEDED"), statuses(events));
            assertEquals(events.get(0).path("detail").path("event_id"), events.get(1).path("detail").path("event_id"),
                    "a repeat carries the same event_id, so a consumer can drop it");
            assertEquals(3, events.stream().map(e -> e.path("detail").path("event_id").asText()).distinct().count());
        }
    }

    private static List<String> statuses(List<JsonNode> events) {
        return events.stream().map(e -> e.path("detail").path("status").asText()).toList();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A stream-enabled jobs table, a notifier whose publisher dies once, and a subscriber. */
    private static final class Fixture implements AutoCloseable {
        final String table;
        final DynamoJobStore jobs;
        final DyingPublisher publisher;
        final Wiring wiring;
        final StreamPoller poller;
        final JobEventTap tap;

        Fixture(String name, int dieAt) {
            LocalPipeline shared = SharedStack.pipeline();
            VoiceDropConfig sharedConfig = shared.config();
            DynamoDbClient dynamo = shared.context().getBean(DynamoDbClient.class);
            table = "crash-jobs-" + name + "-" + RUN;
            String streamArn = dynamo.createTable(b -> b.tableName(table)
                    .billingMode("PAY_PER_REQUEST")
                    .attributeDefinitions(a -> a.attributeName("jobId").attributeType("S"))
                    .keySchema(k -> k.attributeName("jobId").keyType("HASH"))
                    .streamSpecification(s -> s.streamEnabled(true).streamViewType("NEW_AND_OLD_IMAGES")))
                    .tableDescription().latestStreamArn();
            jobs = new DynamoJobStore(dynamo, table);
            AwsClients aws = shared.context().getBean(AwsClients.class);
            publisher = new DyingPublisher(new EventBridgeJobEvents(aws.eventBridge(),
                    sharedConfig.notifications().eventBusName()), dieAt);
            Map<String, String> env = new HashMap<>(shared.environment());
            env.put("JOBS_TABLE", table);
            wiring = Wiring.of(VoiceDropConfig.from(env), publisher);
            NotifyHandler handler = new NotifyHandler(wiring);
            poller = new StreamPoller(aws.dynamoDbStreams(), streamArn, 50, e -> handler.handleRequest(e, null));
            tap = shared.subscribeToJobEvents();
        }

        /** A worker's three committed writes, before the notifier reads any of them. */
        String writeThreeStatuses() {
            String jobId = "crash-" + table;
            Instant now = Instant.now();
            jobs.createIfAbsent(Jobs.queued(jobId, now).sourceKeys(List.of("incoming/crash.wav")).samples(List.of())
                    .spec(ModelSpec.titled("crash")).build());
            Job j = jobs.find(jobId).orElseThrow();
            j = jobs.update(j.claimed(now.plusSeconds(60), now));
            jobs.update(j.withModel("model-" + RUN, JobStatus.SUCCEEDED, now));
            return jobId;
        }

        /** Polls the stream until it is empty twice in a row (each failed batch is retried from where Lambda would). */
        void drainStream() {
            int empty = 0;
            for (int i = 0; i < 50 && empty < 2; i++) {
                empty = poller.pollOnce() ? 0 : empty + 1;
            }
        }

        @Override
        public void close() {
            tap.close();
            wiring.close();
        }
    }
}
