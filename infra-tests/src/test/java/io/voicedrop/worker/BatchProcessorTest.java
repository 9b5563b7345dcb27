package io.voicedrop.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.Job;
import io.voicedrop.e2e.SharedStack;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.sqs.SqsClient;
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

    @BeforeAll
    static void scratchQueues() {
        h = new WorkerHarness(SharedStack.pipeline(), SharedStack.simulator());
        sqs = SharedStack.pipeline().sqs();
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        queueUrl = sqs.createQueue(b -> b.queueName("batch-test-" + suffix).attributesWithStrings(Map.of("VisibilityTimeout", "900"))).queueUrl();
        dlqUrl = sqs.createQueue(b -> b.queueName("batch-test-dlq-" + suffix)).queueUrl();
        Map<String, String> env = new HashMap<>(Map.of("BUCKET_NAME", h.config.bucket(), "JOBS_TABLE", h.config.jobsTable(),
                "MODELS_TABLE", h.config.modelsTable(), "API_KEYS_TABLE", h.config.apiKeysTable(), "JOBS_QUEUE_URL", queueUrl,
                "DEAD_LETTER_QUEUE_URL", dlqUrl, "UPSTREAM_TIMEOUT_MS", "2000", "AWS_REGION", "us-east-1"));
        env.put("AWS_ENDPOINT_URL", h.config.awsEndpoint().orElseThrow().toString());
        processor = new BatchProcessor(h.runner(), sqs, VoiceDropConfig.from(env), Clock.systemUTC());
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
}
