package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.voicedrop.adapters.aws.SqsBatch;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.adapters.logging.MessageLogScope;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.service.WorkOutcome;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of the webhooks queue: one attempt per message ({@link WebhookDispatcher}). A message is handed back
 * (batch item failure) when the invocation has no time left for an attempt or the attempt could not be recorded;
 * a body that is no delivery at all is parked on the webhooks dead-letter queue.
 */
public class WebhookBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookBatchProcessor.class);

    private final WebhookDispatcher dispatcher;
    private final WebhookQueue queue;

    public WebhookBatchProcessor(WebhookDispatcher dispatcher, WebhookQueue queue) {
        this.dispatcher = dispatcher;
        this.queue = queue;
    }

    public SQSBatchResponse process(SQSEvent event, Instant deadline) {
        return SqsBatch.process(event, "webhook", (message, log) -> deliver(message, deadline, log));
    }

    /** @return true when the message is done with (delivered, given up on, rescheduled or dead-lettered) */
    private boolean deliver(SQSMessage message, Instant deadline, MessageLogScope log) {
        Optional<WebhookDelivery> delivery = SqsWebhookQueue.deliveryOf(message.getBody());
        if (delivery.isEmpty()) {
            LOG.warn("not a webhook delivery; moved to the dead-letter queue");
            queue.deadLetter(new WebhookDelivery("?", "?", "?", message.getBody(), 0, null, null),
                    "not a webhook delivery");
            return true;
        }
        log.jobId(delivery.get().jobId());
        WorkOutcome outcome = dispatcher.deliver(delivery.get(), deadline);
        LOG.info("webhook outcome action={} reason={} webhook_id={}", outcome.action(), outcome.reason(),
                delivery.get().webhookId());
        return outcome.action() == WorkOutcome.Action.DONE;
    }
}
