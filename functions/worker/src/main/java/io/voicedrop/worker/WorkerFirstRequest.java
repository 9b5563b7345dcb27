package io.voicedrop.worker;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.aws.JobMessage;
import io.voicedrop.config.VoiceDropConfig;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.OfflineAwsHttp;
import io.voicedrop.wiring.RehearsalContext;
import io.voicedrop.wiring.Wiring;
import java.util.List;
import java.util.Map;

/**
 * The worker's first request, rehearsed before a SnapStart snapshot ({@link FirstRequest}): one job message from the
 * queue, for a job that has already succeeded (a redelivery), so the message is parsed, the job loaded and mapped, the
 * runner decides and the batch is answered, without any call to the upstream (which the rehearsal refuses anyway).
 */
public class WorkerFirstRequest implements FirstRequest<Wiring> {

    @Override
    public String handler() {
        return WorkerHandler.class.getName();
    }

    @Override
    public void stage(OfflineAwsHttp aws, VoiceDropConfig config) {
        aws.answerSucceededJob(config.jobsTable());
    }

    @Override
    public void run(Wiring offline) {
        SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
        message.setMessageId("00000000-0000-0000-0000-000000000000");
        message.setReceiptHandle("snapstart-priming");
        message.setBody(JobMessage.bodyFor(OfflineAwsHttp.JOB_ID));
        message.setEventSource("aws:sqs");
        message.setEventSourceArn("arn:aws:sqs:us-east-1:000000000000:voicedrop-jobs");
        message.setAttributes(Map.of("ApproximateReceiveCount", "2", "SentTimestamp", "1767225600000"));
        SQSEvent event = new SQSEvent();
        event.setRecords(List.of(message));
        SQSBatchResponse response = new WorkerHandler(offline).handleRequest(event, new RehearsalContext());
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the rehearsed job message was not acknowledged");
        }
    }
}
