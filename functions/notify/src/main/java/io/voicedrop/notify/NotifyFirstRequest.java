package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.StreamRecord;
import io.voicedrop.wiring.FirstRequest;
import io.voicedrop.wiring.OfflineAwsHttp;
import io.voicedrop.wiring.RehearsalContext;
import io.voicedrop.wiring.Wiring;
import java.util.List;
import java.util.Map;

/**
 * The notify function's first request, rehearsed before a SnapStart snapshot ({@link FirstRequest}): the stream
 * record of a job that has just succeeded, so its state-change event is published and its webhook scheduled, on the
 * offline clients (no event on any bus, no message on the webhooks queue).
 */
public class NotifyFirstRequest implements FirstRequest<Wiring> {

    @Override
    public String handler() {
        return NotifyHandler.class.getName();
    }

    @Override
    public void run(Wiring offline) {
        StreamRecord change = new StreamRecord();
        change.setKeys(Map.of("jobId", new AttributeValue().withS(OfflineAwsHttp.JOB_ID)));
        change.setOldImage(image("RUNNING", 2));
        change.setNewImage(image("SUCCEEDED", 3));
        change.setSequenceNumber("1");
        DynamodbEvent.DynamodbStreamRecord record = new DynamodbEvent.DynamodbStreamRecord();
        record.setEventID("snapstart-priming");
        record.setEventName("MODIFY");
        record.setEventSource("aws:dynamodb");
        record.setDynamodb(change);
        DynamodbEvent event = new DynamodbEvent();
        event.setRecords(List.of(record));
        StreamsEventResponse response = new NotifyHandler(offline).handleRequest(event, new RehearsalContext());
        if (response.getBatchItemFailures() != null && !response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("the rehearsed job change was not announced");
        }
    }

    private static Map<String, AttributeValue> image(String status, int version) {
        String body = "{\"jobId\":\"" + OfflineAwsHttp.JOB_ID + "\",\"status\":\"" + status + "\",\"version\":" + version
                + ",\"bucket\":\"offline\",\"sourceKeys\":[\"incoming/snapstart-priming.wav\"],\"attempts\":1,"
                + "\"createStarted\":true,\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:01:40Z\","
                + (status.equals("SUCCEEDED") ? "\"modelId\":\"00000000000000000000000000000000\"," : "")
                + "\"options\":{\"callbackUrl\":\"https://hooks.example.com/voicedrop\"}}";
        return Map.of("jobId", new AttributeValue().withS(OfflineAwsHttp.JOB_ID),
                "body", new AttributeValue().withS(body), "version", new AttributeValue().withN(Integer.toString(version)));
    }
}
