package io.voicedrop.adapters.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.adapters.logging.LambdaLogContext;
import io.voicedrop.wiring.RehearsalContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The SQS batch loop the worker and the webhook function share, with the real logging stack (VoiceDrop's JSON lines on
 * standard output, with the fields Lambda's log lines carry): each message logs under the invocation's fields plus its own trace and job id, never
 * the previous message's, and only the messages that are not done are handed back.
 */
class SqsBatchTest {

    private static final Logger LOG = LoggerFactory.getLogger(SqsBatchTest.class);
    private static final String SERVICE = "voicedrop-batch-test";

    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void captureLogLines() {
        original = System.out;
        System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void stopCapturing() {
        System.setOut(original);
    }

    /** One log line: its level, message and every other field as text. */
    private record Line(String level, String message, Map<String, String> fields) {
    }

    /** The lines of the batch loop and of this test's handler. */
    private List<Line> lines() {
        return stdout.toString(StandardCharsets.UTF_8).lines().map(SqsBatchTest::parse)
                .filter(l -> List.of(SqsBatch.class.getName(), SqsBatchTest.class.getName())
                        .contains(l.fields().get("logger")))
                .toList();
    }

    private static Line parse(String text) {
        try {
            JsonNode json = Json.MAPPER.readTree(text);
            Map<String, String> fields = new LinkedHashMap<>();
            json.fields().forEachRemaining(f -> fields.put(f.getKey(), f.getValue().asText()));
            return new Line(json.path("level").asText(), json.path("message").asText(), fields);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object per line: " + text, e);
        }
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

        List<Line> lines = lines();
        assertEquals(7, lines.size(), "two lines per message and the failure's: " + lines);
        for (String id : List.of("m-1", "m-2", "m-3")) {
            List<Map<String, String>> mine = lines.stream().map(Line::fields)
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
        Line failure = lines.stream().filter(l -> l.level().equals("ERROR")).findFirst().orElseThrow();
        assertEquals("job message failed unexpectedly; it will be retried", failure.message());
        assertEquals("m-2", failure.fields().get("trace_id"));
        assertEquals("job-m-2", failure.fields().get("job_id"));
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
