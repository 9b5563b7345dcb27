package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.sim.FishSimulator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.Layout;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.junit.jupiter.api.Test;

/**
 * What a whole upload → model run writes to the logs, which is what Lambda ships to CloudWatch Logs: everything
 * written to stdout, i.e. the log4j JSON lines (captured by an extra appender with the console appender's own layout,
 * because log4j's console appender holds the stdout stream it found at start-up) and everything else printed to
 * {@code System.out} (EMF metric lines), captured by a tee. The run is made once; the shared TestStack keeps running
 * for the other test classes and the capture is removed afterwards.
 *
 * <ul>
 *   <li>Nothing secret: no presigned URL (its {@code X-Amz-Signature} and {@code X-Amz-Credential}), no upstream
 *       token, no API key (a valid one or a mistyped one).</li>
 *   <li>One set of field names: the Lambda context once, under Powertools' names, never null, never Micronaut's
 *       {@code AWS...} copies; {@code service} names the function; {@code job_id} and {@code trace_id} on every
 *       line about the job; no ERROR or WARN about a job that went well.</li>
 *   <li>Metric lines stay valid EMF for the template's alarms: namespace {@code VoiceDrop}, the one dimension
 *       {@code service=voicedrop}.</li>
 * </ul>
 */
class LogHygieneTest {

    private static final Set<String> SERVICES = Set.of("voicedrop-ingest", "voicedrop-worker", "voicedrop-api");
    /** The stream and webhook functions: they may log in the run, not necessarily. */
    private static final Set<String> NOTIFY_SERVICES = Set.of("voicedrop-notify", "voicedrop-webhook");
    private static final Set<String> LAMBDA_FIELDS = Set.of("service", "function_name", "function_version",
            "function_arn", "function_memory_size", "function_request_id", "cold_start", "xray_trace_id");
    private static Run run;

    /** The lines of one upload → model run, and the secrets that must not be in them. */
    private record Run(String jobId, String apiJobId, String wrongKey, List<String> lines) {
    }

    private static synchronized Run run() {
        if (run == null) {
            String wrongKey = "vd_" + UUID.randomUUID().toString().replace("-", "");
            String jobId;
            String apiJobId;
            List<String> lines;
            try (Capture capture = Capture.start()) {
                jobId = Pipeline.upload("incoming/Log Hygiene " + UUID.randomUUID() + ".wav", Pipeline.speech(31));
                JsonNode job = Pipeline.awaitTerminal(jobId);
                assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
                assertEquals(200, Pipeline.get("/fish/model/" + job.path("model_id").asText()).statusCode());
                assertEquals(401, Pipeline.get("/fish/model", wrongKey).statusCode());
                java.net.http.HttpResponse<String> created = ApiCalls.createMultipart(TestStack.get().apiToken,
                        "Log Hygiene API " + UUID.randomUUID(), List.of(), Pipeline.speech(12));
                assertEquals(201, created.statusCode(), created.body());
                apiJobId = created.headers().firstValue("X-VoiceDrop-Job-Id").orElseThrow();
                Pipeline.sleep(300); // let the last asynchronous log lines of the run be written
                lines = capture.lines();
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains(jobId)), "the run's own lines were not captured: " + lines);
            run = new Run(jobId, apiJobId, wrongKey, lines);
        }
        return run;
    }

    @Test
    void anEndToEndRunLogsNoSignedUrlTokenOrApiKey() {
        TestStack stack = TestStack.get();
        Run r = run();
        List<String> forbidden = List.of("X-Amz-Signature", "X-Amz-Credential", FishSimulator.DEFAULT_TOKEN,
                stack.simulator.token(), stack.apiToken, r.wrongKey());
        List<String> leaks = new ArrayList<>();
        for (String line : r.lines()) {
            String lower = line.toLowerCase(Locale.ROOT);
            for (String secret : forbidden) {
                if (lower.contains(secret.toLowerCase(Locale.ROOT))) {
                    leaks.add(secret + " in: " + line);
                }
            }
        }
        assertFalse(r.lines().isEmpty());
        assertTrue(leaks.isEmpty(), "secrets in the logs:\n" + String.join("\n", leaks));
    }

    @Test
    void logLinesCarryTheLambdaContextOnceUnderPowertoolsNamesAndTheJobOnEveryLineAboutIt() {
        Run r = run();
        List<JsonNode> logLines = r.lines().stream().filter(l -> l.startsWith("{") && !l.contains("\"_aws\""))
                .map(LogHygieneTest::json).toList();
        assertFalse(logLines.isEmpty(), "no log line was captured");
        Set<String> servicesSeen = new java.util.HashSet<>();
        for (JsonNode line : logLines) {
            List<String> fields = new ArrayList<>();
            line.fieldNames().forEachRemaining(fields::add);
            for (String f : fields) {
                assertFalse(line.get(f).isNull(), "null field " + f + " in " + line);
                assertFalse(f.startsWith("AWS"), "Micronaut's copy of the Lambda context (" + f + ") in " + line);
            }
            assertTrue(fields.containsAll(List.of("level", "message", "timestamp", "logger")), line.toString());
            if (line.has("service")) {
                // A line written inside an invocation: the whole context, once.
                assertTrue(SERVICES.contains(line.path("service").asText())
                        || NOTIFY_SERVICES.contains(line.path("service").asText()), line.toString());
                servicesSeen.add(line.path("service").asText());
                for (String f : List.of("function_name", "function_version", "function_arn", "function_request_id",
                        "function_memory_size", "cold_start")) {
                    assertTrue(line.has(f), f + " missing in " + line);
                }
                assertTrue(line.path("cold_start").isBoolean() && line.path("function_memory_size").isInt(),
                        line.toString());
            } else {
                assertTrue(fields.stream().noneMatch(LAMBDA_FIELDS::contains), "a partial context: " + line);
            }
            for (String jobId : List.of(r.jobId(), r.apiJobId())) {
                boolean aboutTheJob = line.path("message").asText().contains(jobId)
                        || jobId.equals(line.path("job_id").asText(null));
                if (!aboutTheJob) {
                    continue;
                }
                assertEquals(jobId, line.path("job_id").asText(null), "job_id missing: " + line);
                assertFalse(line.path("trace_id").asText("").isBlank(), "trace_id missing: " + line);
                assertTrue(Set.of("DEBUG", "INFO").contains(line.path("level").asText()),
                        "a job that went well logs no WARN or ERROR: " + line);
            }
        }
        assertTrue(servicesSeen.containsAll(SERVICES), "lines of every function were expected: " + servicesSeen);
        List<String> jobLineServices = logLines.stream().filter(l -> r.jobId().equals(l.path("job_id").asText(null)))
                .map(l -> l.path("service").asText()).distinct().toList();
        assertTrue(jobLineServices.containsAll(List.of("voicedrop-ingest", "voicedrop-worker")),
                "the bucket job's story is told by ingest and the worker: " + jobLineServices);
        List<String> apiJobLineServices = logLines.stream()
                .filter(l -> r.apiJobId().equals(l.path("job_id").asText(null)))
                .map(l -> l.path("service").asText()).distinct().toList();
        assertTrue(apiJobLineServices.containsAll(List.of("voicedrop-api", "voicedrop-worker")),
                "the API job's story is told by the API and the worker: " + apiJobLineServices);
    }

    @Test
    void metricLinesStayValidEmfForTheTemplatesAlarms() {
        List<JsonNode> metrics = run().lines().stream().filter(l -> l.contains("\"_aws\"")).map(LogHygieneTest::json)
                .toList();
        assertFalse(metrics.isEmpty(), "no metric line was captured");
        for (JsonNode m : metrics) {
            JsonNode directive = m.path("_aws").path("CloudWatchMetrics").get(0);
            assertEquals("VoiceDrop", directive.path("Namespace").asText(), m.toString());
            assertEquals("[[\"service\"]]", directive.path("Dimensions").toString(), m.toString());
            assertEquals("voicedrop", m.path("service").asText(), m.toString());
            String name = directive.path("Metrics").get(0).path("Name").asText();
            assertTrue(m.path(name).isNumber(), "the value of " + name + " is missing: " + m);
        }
    }

    private static JsonNode json(String line) {
        try {
            return io.voicedrop.adapters.json.Json.MAPPER.readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not one JSON object per line: " + line, e);
        }
    }

    /** Captures log4j output (with the console's layout) and System.out until closed. */
    private static final class Capture implements AutoCloseable {
        private final StringWriter logs = new StringWriter();
        private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        private final PrintStream originalOut = System.out;
        private final LoggerContext context = (LoggerContext) LogManager.getContext(false);
        private final Appender appender;
        private final List<LoggerConfig> attachedTo = new ArrayList<>();

        private Capture() {
            Configuration config = context.getConfiguration();
            Layout<?> layout = config.getAppenders().values().stream()
                    .filter(a -> a.getLayout() != null).map(Appender::getLayout).findFirst().orElse(null);
            appender = WriterAppender.newBuilder().setName("log-hygiene-capture").setTarget(logs)
                    .setLayout(layout).build();
            appender.start();
            config.addAppender(appender);
            attachedTo.add(config.getRootLogger());
            attachedTo.addAll(config.getLoggers().values());
            attachedTo.stream().distinct().forEach(lc -> lc.addAppender(appender, null, null));
            context.updateLoggers();
            System.setOut(new PrintStream(new Tee(originalOut, stdout), true, StandardCharsets.UTF_8));
        }

        static Capture start() {
            return new Capture();
        }

        List<String> lines() {
            System.out.flush();
            List<String> all = new ArrayList<>();
            synchronized (logs) {
                logs.toString().lines().forEach(all::add);
            }
            synchronized (stdout) {
                stdout.toString(StandardCharsets.UTF_8).lines().forEach(all::add);
            }
            return all;
        }

        @Override
        public void close() {
            System.setOut(originalOut);
            attachedTo.stream().distinct().forEach(lc -> lc.removeAppender(appender.getName()));
            context.updateLoggers();
            appender.stop();
        }
    }

    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final ByteArrayOutputStream b;

        Tee(OutputStream a, ByteArrayOutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) {
            synchronized (b) {
                b.write(c);
            }
            try {
                a.write(c);
            } catch (java.io.IOException ignored) {
                // the original stream is best effort
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) {
            synchronized (b) {
                b.write(buf, off, len);
            }
            try {
                a.write(buf, off, len);
            } catch (java.io.IOException ignored) {
                // the original stream is best effort
            }
        }

        @Override
        public void flush() throws java.io.IOException {
            a.flush();
        }
    }
}
