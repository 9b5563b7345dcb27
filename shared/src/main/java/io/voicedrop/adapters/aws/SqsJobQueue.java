package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.JobQueue;
import java.time.Duration;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The jobs queue. SQS caps a message delay at 15 minutes; a job that must wait longer simply comes back early. */
public final class SqsJobQueue implements JobQueue {

    static final int MAX_DELAY_SECONDS = 900;

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsJobQueue(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public void enqueue(String jobId, Duration delay) {
        int seconds = (int) Math.max(0, Math.min(MAX_DELAY_SECONDS, (delay.toMillis() + 999) / 1000));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(JobMessage.bodyFor(jobId)).delaySeconds(seconds));
    }
}
