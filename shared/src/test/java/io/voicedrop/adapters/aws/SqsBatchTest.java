package io.voicedrop.adapters.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.RehearsalContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SQS batch loop the worker and the webhook function share, with the real logging stack (log4j, the fields
 * Lambda's log lines carry): each message logs under the invocation's fields plus its own trace and job id, never
 * the previous message's, and only the messages that are not done are handed back.
 */
class SqsBatchTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchTest.class);
    private static final String SERVICE = "voicedrop-batch-test";

    private final List<LogEvent> lines = new CopyOnWriteArrayList<>();
    private LoggerConfig loggerConfig;
    private AbstractAppender capture;

    @BeforeEach
    void captureLogLines() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        loggerConfig = context.getConfiguration().getLoggerConfig(SqsBatch.class.getName());
        capture = new AbstractAppender("sqs-batch-test", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                lines.add(event.toImmutable());
            }
        };
        capture.start();
        loggerConfig.addAppender(capture, Level.INFO, null);
        context.updateLoggers();
    }

    @AfterEach
    void stopCapturing() {
        loggerConfig.removeAppender(capture.getName());
        ((LoggerContext) LogManager.getContext(false)).updateLoggers();
        capture.stop();
    }

    @Test
    void everyMessageLogsUnderTheInvocationsFieldsAndOnlyItsOwnIdsAndAFailureHandsBackOnlyItsMessage() {
        SQSBatchResponse response;
        try (LambdaLogContext invocation = LambdaLogContext.open(SERVICE, new RehearsalContext())) {
            response = SqsBatch.process(batch("m-1", "m-2", "m-3"), "job", (message, log) -> {
                LOG.info("received");
                log.jobId("job-" + message.getMessageId());
                LOG.info("handling");
                if (message.getMessageId().equals("m-2")) {
                    throw new IllegalStateException("boom");
                }
                return true;
            });
            // Between and after the messages, the invocation's fields are still there, and nothing of a message.
            assertEquals(SERVICE, MDC.get("service"));
            assertEquals(RehearsalContext.REQUEST_ID, MDC.get("function_request_id"));
            assertNull(MDC.get("trace_id"));
            assertNull(MDC.get("job_id"));
        }
        assertEquals(List.of("m-2"), failures(response));

        assertEquals(7, lines.size(), "two lines per message and the failure's: " + lines);
        for (String id : List.of("m-1", "m-2", "m-3")) {
            List<Map<String, String>> mine = lines.stream().map(l -> l.getContextData().toMap())
                    .filter(f -> id.equals(f.get("trace_id"))).toList();
            assertEquals(id.equals("m-2") ? 3 : 2, mine.size(), id + ": " + lines);
            for (Map<String, String> fields : mine) {
                assertEquals(SERVICE, fields.get("service"), fields.toString());
                assertEquals(RehearsalContext.REQUEST_ID, fields.get("function_request_id"), fields.toString());
                assertFalse(fields.get("function_name") == null, fields.toString());
            }
            // Before the handler names its job, the line has no job id at all (not the previous message's).
            assertNull(mine.get(0).get("job_id"), mine.get(0).toString());
            for (Map<String, String> fields : mine.subList(1, mine.size())) {
                assertEquals("job-" + id, fields.get("job_id"), fields.toString());
            }
        }
        LogEvent failure = lines.stream().filter(l -> l.getLevel() == Level.ERROR).findFirst().orElseThrow();
        assertEquals("job message failed unexpectedly; it will be retried", failure.getMessage().getFormattedMessage());
        assertEquals("m-2", failure.getContextData().toMap().get("trace_id"));
        assertEquals("job-m-2", failure.getContextData().toMap().get("job_id"));
    }

    @Test
    void aMessageThatIsNotDoneIsHandedBackAloneAndTheOthersAreAcknowledged() {
        SQSBatchResponse response = SqsBatch.process(batch("a", "b", "c"), "webhook",
                (message, log) -> !message.getMessageId().equals("c"));
        assertEquals(List.of("c"), failures(response));
        assertEquals(List.of(), failures(SqsBatch.process(new SQSEvent(), "webhook", (m, log) -> false)));
        assertNull(MDC.get("trace_id"));
    }

    private static SQSEvent batch(String... ids) {
        SQSEvent event = new SQSEvent();
        event.setRecords(java.util.Arrays.stream(ids).map(id -> {
            SQSEvent.SQSMessage m = new SQSEvent.SQSMessage();
            m.setMessageId(id);
            m.setBody("{}");
            return m;
        }).toList());
        return event;
    }

    private static List<String> failures(SQSBatchResponse response) {
        return response.getBatchItemFailures().stream().map(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
                .toList();
    }
}
