package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.aws.SqsWebhookQueue;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.core.model.WebhookDelivery;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.OfflineAwsHttp;
import io.voicedrop.wiring.RehearsalContext;
import io.voicedrop.wiring.Wiring;
import java.time.Instant;
import java.util.List;

/**
 * The webhook function's first request, rehearsed before a SnapStart snapshot ({@link FirstRequest}): one delivery
 * of a succeeded job's webhook, so the job is loaded, the secret read and the payload signed; the rehearsal's sender
 * answers without sending (no receiver is called) and the offline clients keep the bookkeeping.
 */
public class WebhookFirstRequest implements FirstRequest<Wiring> {

    @Override
    public String handler() {
        return WebhookHandler.class.getName();
    }

    @Override
    public void stage(OfflineAwsHttp aws, VoiceDropConfig config) {
        aws.answerSucceededJob(config.jobsTable());
    }

    @Override
    public void run(Wiring offline) {
        Instant now = Instant.now();
        WebhookDelivery delivery = WebhookDelivery.first("msg_" + OfflineAwsHttp.JOB_ID + "-SUCCEEDED",
                OfflineAwsHttp.JOB_ID, "job.succeeded", "{\"type\":\"job.succeeded\",\"timestamp\":\"" + now
                        + "\",\"data\":{\"job_id\":\"" + OfflineAwsHttp.JOB_ID + "\",\"status\":\"SUCCEEDED\"}}", now);
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("00000000-0000-0000-0000-000000000001");
        message.setReceiptHandle("snapstart-priming");
        message.setBody(SqsWebhookQueue.bodyOf(delivery));
        message.setEventSource("aws:sqs");
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        SQSBatchResponse response = new WebhookHandler(offline).handleRequest(event, new RehearsalContext());
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the rehearsed webhook delivery failed");
        }
    }
}
