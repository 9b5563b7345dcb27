package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.e2e.SharedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the worker does with each SQS message, on real queues in the emulator: a backoff hands the message back with
 * its visibility set to the delay (it returns in seconds, not after the queue's 15-minute timeout), and a message
 * that is not a job goes straight to the dead-letter queue.
 */
class BatchProcessorTest {

    private static WorkerHarness h;
    private static SqsClient sqs;
    private static String queueUrl;
    private static String dlqUrl;
    private static BatchProcessor processor;
    /** Full jitter pinned to its ceiling: the first unexpected failure hands the message back for 1 s. */
    private static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(300), 5,
            () -> 1.0);

    @BeforeAll
    static void scratchQueues() {
        h = new WorkerHarness(SharedStack.pipeline(), SharedStack.simulator());
        sqs = SharedStack.pipeline().sqs();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        queueUrl = sqs.createQueue(b -> b.queueName("batch-test-" + suffix).attributesWithStrings(Map.of("VisibilityTimeout", "900"))).queueUrl();
        dlqUrl = sqs.createQueue(b -> b.queueName("batch-test-dlq-" + suffix)).queueUrl();
        processor = new BatchProcessor(h.runner(), sqs, processorConfig(), Clock.systemUTC(), BACKOFF);
    }

    private static VoiceDropConfig processorConfig() {
        Map<String, String> env = new HashMap<>(Map.of("BUCKET_NAME", h.config.bucket(), "JOBS_TABLE", h.config.jobsTable(),
                "MODELS_TABLE", h.config.modelsTable(), "API_KEYS_TABLE", h.config.apiKeysTable(), "JOBS_QUEUE_URL", queueUrl,
                "DEAD_LETTER_QUEUE_URL", dlqUrl, "UPSTREAM_TIMEOUT_MS", "2000", "AWS_REGION", "us-east-1"));
        env.put("AWS_ENDPOINT_URL", h.config.awsEndpoint().orElseThrow().toString());
        return VoiceDropConfig.from(env);
    }

    private static SQSEvent eventOf(Message m) {
        SQSEvent.SQSMessage r = new SQSEvent.SQSMessage();
        r.setMessageId(m.messageId());
        r.setReceiptHandle(m.receiptHandle());
        r.setBody(m.body());
        SQSEvent e = new SQSEvent();
        e.setRecords(List.of(r));
        return e;
    }

    private static Message sendAndReceive(String body) {
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(5)).messages().get(0);
    }

    @Test
    void aBackoffLongerThanTheInvocationReturnsTheMessageAfterTheDelay() {
        Job job = h.newJob("backs off");
        h.simulator.failNextCreates(1, 503);
        Message m = sendAndReceive(JobMessage.bodyFor(job.jobId()));
        // Little time left in this invocation: the retry cannot wait here and goes back to the queue.
        SQSBatchResponse r = processor.process(eventOf(m), Instant.now().plus(Duration.ofMillis(2500)));
        assertEquals(List.of(m.messageId()), r.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        Instant returnedBy = Instant.now().plus(Duration.ofSeconds(8));
        List<Message> back = List.of();
        while (back.isEmpty() && Instant.now().isBefore(returnedBy)) {
            back = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages();
        }
        assertEquals(1, back.size(), "the message came back after its backoff, not after the 900 s visibility timeout");
        SQSBatchResponse second = processor.process(eventOf(back.get(0)), Instant.now().plus(Duration.ofSeconds(30)));
        assertTrue(second.getBatchItemFailures().isEmpty());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
    }

    @Test
    void aMessageThatIsNotAJobGoesToTheDeadLetterQueueAtOnce() {
        Message m = sendAndReceive("{not json");
        SQSBatchResponse r = processor.process(eventOf(m), Instant.now().plus(Duration.ofSeconds(30)));
        assertTrue(r.getBatchItemFailures().isEmpty(), "acknowledged from the jobs queue");
        List<Message> dead = sqs.receiveMessage(b -> b.queueUrl(dlqUrl).waitTimeSeconds(2)).messages();
        assertEquals("{not json", dead.get(0).body());
    }

    @Test
    void aRunThatFailsBeforeItsClaimHandsTheMessageBackForSecondsNotTheVisibilityTimeout() {
        Job job = h.newJob("store times out before the claim");
        AtomicBoolean failed = new AtomicBoolean();
        // The job store's first read times out (as an overloaded store's call does): nothing was claimed or sent.
        BatchProcessor flaky = new BatchProcessor(h.runner(j -> new FirstReadTimesOut(j, failed), c -> c), sqs,
                processorConfig(), Clock.systemUTC(), BACKOFF);
        Message m = sendAndReceive(JobMessage.bodyFor(job.jobId()));
        SQSBatchResponse r = flaky.process(eventOf(m), Instant.now().plus(Duration.ofSeconds(30)));
        assertTrue(failed.get());
        assertEquals(List.of(m.messageId()), r.getBatchItemFailures().stream()
                .map(SQSBatchResponse.BatchItemFailure::getItemIdentifier).toList());
        assertEquals(JobStatus.QUEUED, h.reload(job.jobId()).status(), "untouched: the failure came before the claim");

        List<Message> back = receiveWithin(Duration.ofSeconds(10));
        assertEquals(1, back.size(), "the message came back after the backoff, not after the 900 s visibility timeout");
        SQSBatchResponse second = flaky.process(eventOf(back.get(0)), Instant.now().plus(Duration.ofSeconds(30)));
        assertTrue(second.getBatchItemFailures().isEmpty());
        assertEquals(JobStatus.SUCCEEDED, h.reload(job.jobId()).status());
        assertEquals(1, h.modelsUpstreamFor(job.jobId()));
    }

    @Test
    void theBackoffAfterAnUnexpectedFailureGrowsWithTheMessagesReceiveCount() {
        SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
        assertEquals(1, BatchProcessor.receiveCount(m), "no attributes: the first receive");
        m.setAttributes(Map.of("ApproximateReceiveCount", "4"));
        assertEquals(4, BatchProcessor.receiveCount(m));
        assertEquals(Duration.ofSeconds(8), BACKOFF.delayAfter(BatchProcessor.receiveCount(m), null),
                "1 s, 2 s, 4 s, 8 s: the one retry policy's ceiling for the fourth receive");
    }

    private static List<Message> receiveWithin(Duration window) {
        Instant until = Instant.now().plus(window);
        List<Message> back = List.of();
        while (back.isEmpty() && Instant.now().isBefore(until)) {
            back = sqs.receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)
                    .messageSystemAttributeNamesWithStrings("All")).messages();
        }
        return back;
    }

    /** The real job store, except that its first read throws the SDK's call timeout. */
    private record FirstReadTimesOut(JobStore real, AtomicBoolean failed) implements JobStore {
        public boolean createIfAbsent(Job job) { return real.createIfAbsent(job); }
        public Optional<Job> find(String jobId) {
            if (failed.compareAndSet(false, true)) {
                throw ApiCallTimeoutException.create(2000);
            }
            return real.find(jobId);
        }
        public Job update(Job changed) { return real.update(changed); }
        public JobPage listByStatus(JobStatus status, int limit, String cursor) {
            return real.listByStatus(status, limit, cursor);
        }
        public List<Job> listNewest(String owner, int limit, Position after) {
            return real.listNewest(owner, limit, after);
        }
    }
}
