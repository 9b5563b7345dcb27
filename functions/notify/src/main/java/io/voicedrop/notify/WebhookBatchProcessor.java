package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.core.port.WebhookQueue;
import io.voicedrop.core.service.WebhookDispatcher;
import io.voicedrop.core.service.WorkOutcome;
import jakarta.inject.Singleton;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One batch of the webhooks queue: one attempt per message ({@link WebhookDispatcher}). A message is handed back
 * (batch item failure) when the invocation has no time left for an attempt or the attempt could not be recorded;
 * a body that is no delivery at all is parked on the webhooks dead-letter queue.
 */
@Singleton
public class WebhookBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookBatchProcessor.class);

    private final WebhookDispatcher dispatcher;
    private final WebhookQueue queue;

    public WebhookBatchProcessor(WebhookDispatcher dispatcher, WebhookQueue queue) {
        this.dispatcher = dispatcher;
        this.queue = queue;
    }

    public SQSBatchResponse process(SQSEvent event, Instant deadline) {
        List<BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSMessage message : records) {
            MDC.put("trace_id", message.getMessageId());
            try {
                Optional<WebhookDelivery> delivery = SqsWebhookQueue.deliveryOf(message.getBody());
                if (delivery.isEmpty()) {
                    LOG.warn("not a webhook delivery; moved to the dead-letter queue");
                    queue.deadLetter(new WebhookDelivery("?", "?", "?", message.getBody(), 0, null, null),
                            "not a webhook delivery");
                    continue;
                }
                MDC.put("job_id", delivery.get().jobId());
                WorkOutcome outcome = dispatcher.deliver(delivery.get(), deadline);
                LOG.info("webhook outcome action={} reason={} webhook_id={}", outcome.action(), outcome.reason(),
                        delivery.get().webhookId());
                if (outcome.action() != WorkOutcome.Action.DONE) {
                    failures.add(new BatchItemFailure(message.getMessageId()));
                }
            } catch (RuntimeException e) {
                LOG.error("webhook message failed unexpectedly; it will be retried", e);
                failures.add(new BatchItemFailure(message.getMessageId()));
            } finally {
                MDC.clear();
            }
        }
        return new SQSBatchResponse(failures);
    }
}
