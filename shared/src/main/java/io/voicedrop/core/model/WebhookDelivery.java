package io.voicedrop.core.model;

import java.time.Instant;

/**
 * One webhook message and how far its delivery got. The message is the job view at the moment the job ended, so
 * every attempt sends the same body under the same {@code webhookId} (Standard Webhooks' {@code webhook-id}, which
 * receivers use to drop repeats). The target URL is not part of it: it stays in the job (no secret in a queue).
 *
 * @param type           {@code job.<status>} in lower case, e.g. {@code job.succeeded}
 * @param payload        the JSON body, exactly as signed and sent
 * @param attempts       attempts made so far
 * @param firstAttemptAt when the first attempt was made; null before it
 * @param dueAt          when the next attempt is due (SQS delays at most 15 minutes, so a message may come early)
 */
public record WebhookDelivery(String webhookId, String jobId, String type, String payload, int attempts,
                              Instant firstAttemptAt, Instant dueAt) {

    public static WebhookDelivery first(String webhookId, String jobId, String type, String payload, Instant now) {
        return new WebhookDelivery(webhookId, jobId, type, payload, 0, null, now);
    }

    /** The same message after one more failed attempt, due again at {@code nextDue}. */
    public WebhookDelivery retried(Instant attemptedAt, Instant nextDue) {
        return new WebhookDelivery(webhookId, jobId, type, payload, attempts + 1,
                firstAttemptAt == null ? attemptedAt : firstAttemptAt, nextDue);
    }

    @Override
    public String toString() {
        return "WebhookDelivery[webhookId=" + webhookId + ", jobId=" + jobId + ", attempts=" + attempts + "]";
    }
}
