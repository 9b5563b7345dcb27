package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.service.JobChangeNotifier;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One batch of the jobs table's stream, in order. The first record that cannot be handled ends the batch and is
 * reported as the batch item failure (its sequence number): Lambda then retries from exactly that record, so every
 * record before it is handled once and none after it is skipped. A record that keeps failing is isolated by
 * bisecting the batch and, once it expires from the stream, described on the on-failure destination
 * ({@code NotifyDeadLetterQueue}); nothing is dropped silently.
 */
@Singleton
public class StreamBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBatchProcessor.class);

    private final JobChangeNotifier notifier;

    public StreamBatchProcessor(JobChangeNotifier notifier) {
        this.notifier = notifier;
    }

    public StreamsEventResponse process(DynamodbEvent event) {
        List<DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        for (DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
            MDC.put("trace_id", record.getEventID() == null ? String.valueOf(sequence) : record.getEventID());
            try {
                if (record.getDynamodb() == null) {
                    continue;
                }
                Optional<Job> after = JobImages.of(record.getDynamodb().getNewImage());
                if (after.isEmpty()) {
                    continue; // a removed item, or not a job
                }
                MDC.put("job_id", after.get().jobId());
                notifier.onChange(JobImages.of(record.getDynamodb().getOldImage()).orElse(null), after.get());
            } catch (RuntimeException e) {
                LOG.error("a job change could not be announced; the batch is retried from this record", e);
                return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequence)));
            } finally {
                MDC.clear();
            }
        }
        return new StreamsEventResponse(List.of());
    }
}
