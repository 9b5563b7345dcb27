package io.voicedrop.adapters.aws;

import io.voicedrop.core.port.DeadLetters;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The dead-letter queue over SQS. Messages a replay cannot use become visible again after 5 minutes. */
public final class SqsDeadLetters implements DeadLetters {

    private final SqsClient sqs;
    private final String queueUrl;

    public SqsDeadLetters(SqsClient sqs, String queueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
    }

    @Override
    public List<Letter> receive(int max) {
        return sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(Math.min(10, max))
                        .visibilityTimeout(300).waitTimeSeconds(1))
                .messages().stream().map(m -> new Letter(m.body(), m.receiptHandle())).toList();
    }

    @Override
    public void delete(Letter letter) {
        sqs.deleteMessage(b -> b.queueUrl(queueUrl).receiptHandle(letter.handle()));
    }
}
