package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.WebhookQueue;
import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;

/**
 * Webhook deliveries on SQS: the message is the {@link WebhookDelivery} as JSON (job id, webhook id, the signed
 * body, attempts so far, when it is due); never the target URL, which stays in the job.
 */
public final class SqsWebhookQueue implements WebhookQueue {

    private final SqsClient sqs;
    private final String queueUrl;
    private final String deadLetterQueueUrl;

    public SqsWebhookQueue(SqsClient sqs, String queueUrl, String deadLetterQueueUrl) {
        this.sqs = sqs;
        this.queueUrl = queueUrl;
        this.deadLetterQueueUrl = deadLetterQueueUrl;
    }

    public static String bodyOf(WebhookDelivery delivery) {
        return Json.write(delivery);
    }

    /** The delivery a message carries, or empty when the body is not one. */
    public static Optional<WebhookDelivery> deliveryOf(String body) {
        try {
            WebhookDelivery d = Json.read(body, WebhookDelivery.class);
            return d.jobId() == null || d.webhookId() == null || d.payload() == null ? Optional.empty() : Optional.of(d);
        } catch (RuntimeException notOne) {
            return Optional.empty();
        }
    }

    @Override
    public void schedule(WebhookDelivery delivery, Duration delay) {
        int seconds = (int) Math.max(0, Math.min(SqsJobQueue.MAX_DELAY_SECONDS, (delay.toMillis() + 999) / 1000));
        sqs.sendMessage(b -> b.queueUrl(queueUrl).messageBody(bodyOf(delivery)).delaySeconds(seconds));
    }

    @Override
    public void deadLetter(WebhookDelivery delivery, String reason) {
        sqs.sendMessage(b -> b.queueUrl(deadLetterQueueUrl).messageBody(bodyOf(delivery))
                .messageAttributes(java.util.Map.of("reason", MessageAttributeValue.builder().dataType("String")
                        .stringValue(reason == null || reason.isBlank() ? "unknown" : reason).build())));
    }
}
