package io.voicedrop.notify;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import io.voicedrop.adapters.logging.MessageLogScope;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.service.JobChangeNotifier;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One batch of the jobs table's stream, in order. The first record that cannot be handled ends the batch and is
 * reported as the batch item failure (its sequence number): Lambda then retries from exactly that record, so every
 * record before it is handled once and none after it is skipped. A record that keeps failing is isolated by
 * bisecting the batch and, once it expires from the stream, described on the on-failure destination
 * ({@code NotifyDeadLetterQueue}); nothing is dropped silently.
 */
public class StreamBatchProcessor {

    private static final Logger LOG = LoggerFactory.getLogger(StreamBatchProcessor.class);

    private final JobChangeNotifier notifier;

    public StreamBatchProcessor(JobChangeNotifier notifier) {
        this.notifier = notifier;
    }

    public StreamsEventResponse process(DynamodbEvent event) {
        List<DynamodbStreamRecord> records = event == null || event.getRecords() == null ? List.of()
                : event.getRecords();
        // Not SqsBatch's loop: a stream is ordered, so the batch stops at the first failure (see above).
        for (DynamodbStreamRecord record : records) {
            String sequence = record.getDynamodb() == null ? null : record.getDynamodb().getSequenceNumber();
            String traceId = record.getEventID() == null ? String.valueOf(sequence) : record.getEventID();
            try (MessageLogScope log = MessageLogScope.open(traceId)) {
                try {
                    announce(record, log);
                } catch (RuntimeException e) {
                    LOG.error("a job change could not be announced; the batch is retried from this record", e);
                    return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(sequence)));
                }
            }
        }
        return new StreamsEventResponse(List.of());
    }

    private void announce(DynamodbStreamRecord record, MessageLogScope log) {
        if (record.getDynamodb() == null) {
            return;
        }
        Optional<Job> after = JobImages.of(record.getDynamodb().getNewImage());
        if (after.isEmpty()) {
            return; // a removed item, or not a job
        }
        log.jobId(after.get().jobId());
        notifier.onChange(JobImages.of(record.getDynamodb().getOldImage()).orElse(null), after.get());
    }
}
