package io.voicedrop.adapters.aws;

import io.voicedrop.adapters.json.Json;
import io.voicedrop.core.port.JobEventPublisher;
import io.voicedrop.core.view.JobStateChange;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Job state changes on an EventBridge bus: source {@code voicedrop}, detail-type {@code VoiceDrop Job State Change},
 * the detail as documented by {@code docs/job-state-change.schema.json}, the job's ARN-less id in the detail. A
 * rejected entry (PutEvents answers 200 with a failed-entry count) is an error, so the stream record is retried.
 */
public final class EventBridgeJobEvents implements JobEventPublisher {

    private final EventBridgeClient events;
    private final String busName;

    public EventBridgeJobEvents(EventBridgeClient events, String busName) {
        this.events = events;
        this.busName = busName;
    }

    @Override
    public void publish(JobStateChange change) {
        PutEventsResponse r = events.putEvents(b -> b.entries(e -> e.eventBusName(busName)
                .source(JobStateChange.SOURCE).detailType(JobStateChange.DETAIL_TYPE).detail(Json.write(change))));
        if (r.failedEntryCount() != null && r.failedEntryCount() > 0) {
            PutEventsResultEntry entry = r.entries().isEmpty() ? null : r.entries().get(0);
            throw new IllegalStateException("EventBridge refused the event of job " + change.jobId() + ": "
                    + (entry == null ? "unknown" : entry.errorCode() + " " + entry.errorMessage()));
        }
    }
}
