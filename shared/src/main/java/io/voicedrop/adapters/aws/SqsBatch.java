package io.voicedrop.adapters.aws;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import io.voicedrop.adapters.logging.MessageLogScope;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one loop over an SQS batch (the worker's jobs queue, the webhooks queue), answered with a partial batch
 * response (the event source mapping's {@code ReportBatchItemFailures}): every message is handled on its own, in its
 * own log scope ({@link MessageLogScope}: its {@code trace_id} is the message id), and only the messages that are not
 * done are handed back, so one bad message never makes Lambda redeliver the whole batch. A handler that throws hands
 * its message back too; the batch goes on with the next one.
 */
public final class SqsBatch {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatch.class);

    /** Handles one message; {@code log} takes the message's job id once it is known. */
    @FunctionalInterface
    public interface MessageHandler {
        /** @return true when the message is done (deleted from the queue), false to hand it back for a retry */
        boolean handle(SQSMessage message, MessageLogScope log);
    }

    private SqsBatch() {
    }

    /** {@code kind} names the messages in the log line of an unexpected failure ("job", "webhook"). */
    public static SQSBatchResponse process(SQSEvent event, String kind, MessageHandler handler) {
        List<BatchItemFailure> failures = new ArrayList<>();
        List<SQSMessage> records = event == null || event.getRecords() == null ? List.of() : event.getRecords();
        for (SQSMessage message : records) {
            try (MessageLogScope log = MessageLogScope.open(message.getMessageId())) {
                boolean done;
                try {
                    done = handler.handle(message, log);
                } catch (RuntimeException e) {
                    LOG.error("{} message failed unexpectedly; it will be retried", kind, e);
                    done = false;
                }
                if (!done) {
                    failures.add(new BatchItemFailure(message.getMessageId()));
                }
            }
        }
        return new SQSBatchResponse(failures);
    }
}
