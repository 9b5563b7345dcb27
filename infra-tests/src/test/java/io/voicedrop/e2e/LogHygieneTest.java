package io.voicedrop.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.sim.FishSimulator;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 * Nothing secret reaches the logs during a whole upload → model run: no presigned URL (its {@code X-Amz-Signature}
 * and {@code X-Amz-Credential}), no upstream token, no API key (a valid one or a mistyped one).
 *
 * <p>What is checked is everything the run writes to stdout, which is what Lambda ships to CloudWatch Logs: the
 * log4j JSON lines (captured by an extra appender with the console appender's own layout, because log4j's console
 * appender holds the stdout stream it found at start-up) and everything else printed to {@code System.out} (EMF
 * metric lines), captured by a tee. The shared TestStack keeps running for the other test classes; the capture is
 * removed afterwards.
 */
class LogHygieneTest {

    @Test
    void anEndToEndRunLogsNoSignedUrlTokenOrApiKey() {
        TestStack stack = TestStack.get();
        String wrongKey = "vd_" + UUID.randomUUID().toString().replace("-", "");
        String jobId;
        List<String> lines;
        try (Capture capture = Capture.start()) {
            jobId = Pipeline.upload("incoming/Log Hygiene " + UUID.randomUUID() + ".wav", Pipeline.speech(31));
            JsonNode job = Pipeline.awaitTerminal(jobId);
            assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
            assertEquals(200, Pipeline.get("/fish/model/" + job.path("model_id").asText()).statusCode());
            assertEquals(401, Pipeline.get("/fish/model", wrongKey).statusCode());
            Pipeline.sleep(300); // let the last asynchronous log lines of the run be written
            lines = capture.lines();
        }

        assertTrue(lines.stream().anyMatch(l -> l.contains(jobId)), "the run's own log lines were not captured: " + lines);
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"_aws\"")), "no metric line was captured: " + lines);
        List<String> forbidden = List.of("X-Amz-Signature", "X-Amz-Credential", FishSimulator.DEFAULT_TOKEN,
                stack.simulator.token(), stack.apiToken, wrongKey);
        List<String> leaks = new ArrayList<>();
        for (String line : lines) {
            String lower = line.toLowerCase(Locale.ROOT);
            for (String secret : forbidden) {
                if (lower.contains(secret.toLowerCase(Locale.ROOT))) {
                    leaks.add(secret + " in: " + line);
                }
            }
        }
        assertFalse(lines.isEmpty());
        assertTrue(leaks.isEmpty(), "secrets in the logs:\n" + String.join("\n", leaks));
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
