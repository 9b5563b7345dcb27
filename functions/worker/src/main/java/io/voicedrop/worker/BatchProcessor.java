package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.adapters.aws.SqsBatch;
import io.voicedrop.adapters.logging.MessageLogScope;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.JobRunner;
import io.voicedrop.core.service.WorkOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Maps each message's {@link WorkOutcome} onto SQS: done → acknowledged; retry later → reported as failed with its
 * visibility set to the backoff delay (so it returns then, not after the queue's full visibility timeout);
 * dead letter → moved to the dead-letter queue at once instead of being retried pointlessly.
 *
 * <p>A message whose run failed unexpectedly (a store call that timed out or was throttled, before or after the
 * claim) is handed back the same way, after the one {@link RetryPolicy}'s backoff for its receive count
 * ({@code ApproximateReceiveCount}): it comes back in about a second, then two, four..., instead of after the
 * 15-minute visibility timeout, and a message that keeps failing still reaches the dead-letter queue after the
 * queue's {@code maxReceiveCount} receives. Returning early is safe at any step: exactly-once lives in the job
 * record (claim with a lease, {@code createStarted} before the billable call), not in the message's invisibility.
 */
public class BatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(BatchProcessor.class);
    /** SQS refuses visibility timeouts over 12 hours. */
    static final long MAX_VISIBILITY_SECONDS = 43_200;

    private final JobRunner runner;
    private final SqsClient sqs;
    private final VoiceDropConfig config;
    private final Clock clock;
    private final RetryPolicy retry;

    public BatchProcessor(JobRunner runner, SqsClient sqs, VoiceDropConfig config, Clock clock, RetryPolicy retry) {
        this.runner = runner;
        this.sqs = sqs;
        this.config = config;
        this.clock = clock;
        this.retry = retry;
    }

    public SQSBatchResponse process(SQSEvent event, Instant deadline) {
        return SqsBatch.process(event, "job", (message, log) -> handle(message, deadline, log));
    }

    /** @return true when the message is done with (acknowledged or moved to the dead-letter queue) */
    private boolean handle(SQSMessage message, Instant deadline, MessageLogScope log) {
        if (clock.instant().plus(config.upstreamTimeout()).isAfter(deadline)) {
            // Not enough time left for a safe upstream call: give the message back right away.
            return returnLater(message, Duration.ZERO);
        }
        Optional<String> jobId = JobMessage.jobIdOf(message.getBody());
        if (jobId.isEmpty()) {
            return deadLetter(message, "not a job message");
        }
        log.jobId(jobId.get());
        WorkOutcome outcome;
        try {
            outcome = runner.run(jobId.get(), deadline);
        } catch (RuntimeException e) {
            Duration backoff = retry.delayAfter(receiveCount(message), null);
            LOG.warn("job message failed unexpectedly; it returns in {} ms", backoff.toMillis(), e);
            return returnLater(message, backoff);
        }
        LOG.info("job outcome action={} reason={}", outcome.action(), outcome.reason());
        return switch (outcome.action()) {
            case RETRY_LATER -> returnLater(message, outcome.delay());
            case DEAD_LETTER -> deadLetter(message, outcome.reason());
            default -> true;
        };
    }

    /** How often SQS has handed this message out, this time included (1 when the attribute is missing). */
    static int receiveCount(SQSMessage message) {
        String count = message.getAttributes() == null ? null : message.getAttributes().get("ApproximateReceiveCount");
        try {
            return count == null ? 1 : Math.max(1, Integer.parseInt(count));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** Hands the message back with its visibility set to {@code delay}; always false (not done). */
    private boolean returnLater(SQSMessage message, Duration delay) {
        long seconds = Math.max(0, Math.min(MAX_VISIBILITY_SECONDS, (delay.toMillis() + 999) / 1000));
        try {
            sqs.changeMessageVisibility(b -> b.queueUrl(config.jobsQueueUrl()).receiptHandle(message.getReceiptHandle())
                    .visibilityTimeout((int) seconds));
        } catch (RuntimeException e) {
            LOG.warn("could not shorten visibility; the message returns after the queue's visibility timeout: {}", e.toString());
        }
        return false;
    }

    /** @return true once the message is on the dead-letter queue; false keeps it (no queue, or the send failed) */
    private boolean deadLetter(SQSMessage message, String reason) {
        if (config.deadLetterQueueUrl().isEmpty()) {
            return false;
        }
        try {
            sqs.sendMessage(b -> b.queueUrl(config.deadLetterQueueUrl()).messageBody(message.getBody()));
            // The dead-letter alarm fires: an operator looks, fixes, and replays (scripts/voicedrop-ops.sh).
            LOG.error("message moved to the dead-letter queue: {}", reason);
            return true;
        } catch (RuntimeException e) {
            LOG.error("could not move message to the dead-letter queue; keeping it", e);
            return false;
        }
    }
}
