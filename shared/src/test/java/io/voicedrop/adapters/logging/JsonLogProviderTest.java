package io.voicedrop.adapters.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import io.voicedrop.wiring.RehearsalContext;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * VoiceDrop's SLF4J backend, driven through the SLF4J API as the code uses it, with standard output captured: one
 * JSON object per line, the field names and types of Powertools' Lambda layout, no null field, the MDC's ids,
 * escaping that round-trips, no presigning parameter, and the levels.
 */
class JsonLogProviderTest {

    private static final Logger LOG = LoggerFactory.getLogger("io.voicedrop.logging.test");
    private static final String PRESIGNED = "https://bucket.s3.amazonaws.com/incoming/a.wav?X-Amz-Algorithm=AWS4-HMAC-SHA256"
            + "&X-Amz-Credential=AKIAEXAMPLE%2F20261203%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Security-Token=FQoGZXIvYXdzSECRET"
            + "&X-Amz-Signature=0123456789abcdef0123456789abcdef";

    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private PrintStream original;

    @BeforeEach
    void capture() {
        original = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setOut(original);
        MDC.clear();
    }

    private List<JsonNode> lines() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : captured.toString(StandardCharsets.UTF_8).lines().toList()) {
            try {
                out.add(Json.MAPPER.readTree(line));
            } catch (Exception e) {
                throw new AssertionError("not one JSON object per line: " + line, e);
            }
        }
        return out;
    }

    private JsonNode onlyLine() {
        List<JsonNode> lines = lines();
        assertEquals(1, lines.size(), lines.toString());
        return lines.get(0);
    }

    @Test
    void slf4jUsesThisProvider() {
        assertInstanceOf(JsonLogger.class, LOG);
        assertInstanceOf(ThreadMdc.class, MDC.getMDCAdapter());
    }

    @Test
    void aLineInAnInvocationCarriesTheLambdaContextOnceWithPowertoolsTypesAndTheJobIds() {
        try (LambdaLogContext log = LambdaLogContext.open("voicedrop-worker", new RehearsalContext())) {
            MDC.put(LogFields.TRACE_ID, "trace-1");
            MDC.put(LogFields.JOB_ID, "job-1");
            LOG.info("job {} ran {} time(s)", "job-1", 2);
        }
        JsonNode line = onlyLine();
        assertEquals("INFO", line.path("level").asText());
        assertEquals("job job-1 ran 2 time(s)", line.path("message").asText());
        assertEquals("io.voicedrop.logging.test", line.path("logger").asText());
        assertTrue(line.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line.toString());
        assertEquals("voicedrop-worker", line.path("service").asText());
        assertEquals("snapstart-priming", line.path("function_request_id").asText());
        assertTrue(line.path("function_memory_size").isInt(), line.toString());
        assertTrue(line.path("cold_start").isBoolean(), line.toString());
        for (String f : List.of("function_name", "function_version", "function_arn")) {
            assertFalse(line.path(f).asText("").isBlank(), f + " in " + line);
        }
        assertEquals("trace-1", line.path("trace_id").asText());
        assertEquals("job-1", line.path("job_id").asText());
        assertFalse(line.has("error"), line.toString());
        line.fields().forEachRemaining(f -> assertFalse(f.getValue().isNull(), "null field " + f.getKey()));
        // Closing the invocation's context removes its fields, and only those.
        assertEquals("job-1", MDC.get(LogFields.JOB_ID));
        assertEquals(null, MDC.get(LogFields.SERVICE));
    }

    @Test
    void aLineOutsideAnInvocationHasNoLambdaFieldAtAll() {
        LOG.warn("no invocation");
        JsonNode line = onlyLine();
        List<String> names = new ArrayList<>();
        line.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("level", "message", "timestamp", "logger"), names);
        assertEquals("WARN", line.path("level").asText());
    }

    @Test
    void textIsEscapedSoEveryLineParsesBackToWhatWasLogged() {
        String tricky = "quote \" backslash \\ newline \n tab \t return \r bell \u0007 nul \u0000 sep \u2028 é 音 \uD83C\uDFB5 </script>";
        MDC.put("note", tricky);
        LOG.info(tricky);
        JsonNode line = onlyLine();
        assertEquals(tricky, line.path("message").asText());
        assertEquals(tricky, line.path("note").asText());
        assertEquals(1, captured.toString(StandardCharsets.UTF_8).lines().count(), "one event, one line");
    }

    @Test
    void anExceptionIsItsNameMessageAndStackTrace() {
        LOG.error("it failed for key={}", "incoming/a.wav", new IllegalStateException("table \"jobs\" is gone"));
        LOG.warn("no message", new RuntimeException());
        List<JsonNode> lines = lines();
        JsonNode error = lines.get(0).path("error");
        assertEquals("it failed for key=incoming/a.wav", lines.get(0).path("message").asText());
        assertEquals(IllegalStateException.class.getName(), error.path("name").asText());
        assertEquals("table \"jobs\" is gone", error.path("message").asText());
        assertTrue(error.path("stack").asText().contains("at io.voicedrop.adapters.logging.JsonLogProviderTest"),
                error.toString());
        JsonNode noMessage = lines.get(1).path("error");
        assertFalse(noMessage.has("message"), "an exception without a message has no null message: " + noMessage);
        assertEquals(RuntimeException.class.getName(), noMessage.path("name").asText());
    }

    @Test
    void presigningParametersNeverReachALineWhereverTheyAppear() {
        MDC.put("source_url", PRESIGNED);
        LOG.warn("upstream could not fetch {}", PRESIGNED, new IllegalStateException("GET " + PRESIGNED + " returned 403"));
        String written = captured.toString(StandardCharsets.UTF_8);
        for (String secret : List.of("X-Amz-Signature", "X-Amz-Credential", "X-Amz-Security-Token", "AKIAEXAMPLE",
                "FQoGZXIvYXdzSECRET", "0123456789abcdef0123456789abcdef")) {
            assertFalse(written.toLowerCase().contains(secret.toLowerCase()), secret + " in " + written);
        }
        JsonNode line = onlyLine();
        assertTrue(line.path("message").asText().startsWith("upstream could not fetch https://bucket.s3.amazonaws.com/"),
                "the rest of the message stays readable: " + line);
    }

    @Test
    void voiceDropLogsAtInfoAndLibrariesAtWarnByDefault() {
        Logger library = LoggerFactory.getLogger("io.micronaut.context.DefaultBeanContext");
        LOG.debug("not at INFO");
        library.info("library chatter");
        library.warn("library warning");
        LOG.info("ours");
        List<String> messages = lines().stream().map(l -> l.path("message").asText()).toList();
        assertEquals(List.of("library warning", "ours"), messages);
        assertFalse(LOG.isDebugEnabled());
        assertTrue(library.isWarnEnabled() && !library.isInfoEnabled());
    }

    @Test
    void aThreadStartedInsideAJobDoesNotInheritTheJobsFields() throws Exception {
        MDC.put(LogFields.JOB_ID, "job-of-the-parent");
        AtomicReference<String> seen = new AtomicReference<>("unset");
        Thread child = new Thread(() -> seen.set(MDC.get(LogFields.JOB_ID)));
        child.start();
        child.join();
        assertEquals(null, seen.get());
        assertEquals(Set.of(LogFields.JOB_ID), MDC.getCopyOfContextMap().keySet());
    }
}
