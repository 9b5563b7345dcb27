package io.voicedrop.core.port;

import io.voicedrop.core.model.WebhookDelivery;
import java.time.Duration;

/** Webhook messages waiting for their next attempt, and those that failed for good. */
public interface WebhookQueue {

    /** Hands the message to the webhook function after {@code delay} (at most 15 minutes: it may come early). */
    void schedule(WebhookDelivery delivery, Duration delay);

    /** Parks a message whose delivery will not be tried again. */
    void deadLetter(WebhookDelivery delivery, String reason);
}
