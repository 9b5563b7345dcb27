package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.voicedrop.adapters.json.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local runner as a newcomer starts it ({@code scripts/run-local.sh --demo}: {@link LocalRun} in its own JVM),
 * on a machine where no Docker engine answers: the terminal shows only the human view (what started, one line per
 * job transition) and not one ERROR or WARN line; the JSON logs and metrics are in the log file, none of them
 * ERROR or WARN either. {@code DOCKER_HOST} points at a socket nobody serves, so this holds on machines with Docker.
 */
class LocalRunStartupTest {

    private static final Pattern EMULATOR = Pattern.compile(
            "AWS emulator: moto \\d+\\.\\d+(\\.\\d+)? on http://127\\.0\\.0\\.1:\\d+ \\(no Docker engine answered.*\\)");
    private static final Pattern DEMO_JOB = Pattern.compile(
            "incoming/demo-voice\\.wav → QUEUED → RUNNING → SUCCEEDED  model \\S{4}… \\(\\d+\\.\\d s\\)");

    @TempDir
    Path dir;

    @Test
    void theDemoWithoutDockerShowsAHumanViewAndNoErrorOrWarning() throws Exception {
        Path here = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(here.resolve("template.yaml"))) {
            here = here.getParent();
        }
        // A copy: the run writes its log file next to the template, not over the developer's own.
        Path template = Files.copy(here.resolve("template.yaml"), dir.resolve("template.yaml"));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), LocalRun.class.getName(), "--demo",
                "--template", template.toString()).directory(dir.toFile());
        pb.environment().remove(AwsEmulator.CHOICE_VARIABLE);
        pb.environment().remove("VOICEDROP_AWS_ENDPOINT");
        pb.environment().put("DOCKER_HOST", "unix://" + dir.resolve("no-docker.sock"));
        Path out = dir.resolve("terminal.txt");
        Path err = dir.resolve("terminal-errors.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(4, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        List<String> terminal = Files.readAllLines(out, StandardCharsets.UTF_8);
        String errors = Files.readString(err, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "exit code; terminal:\n" + String.join("\n", terminal) + "\n" + errors);
        assertTrue(errors.isBlank(), "nothing on stderr: " + errors);

        for (String line : terminal) {
            assertFalse(line.contains("ERROR") || line.contains("WARN"), "an error or warning line: " + line);
            assertFalse(line.startsWith("{"), "a log line on the terminal (only with --verbose): " + line);
        }
        assertTrue(terminal.stream().anyMatch(l -> EMULATOR.matcher(l).matches()), "the emulator line: " + terminal);
        for (String label : List.of("S3 endpoint: http://127.0.0.1:", "Bucket: voicedrop-local-",
                "API base URL: http://127.0.0.1:", "API key: vd_", "Logs: target/local/voicedrop.log")) {
            assertTrue(terminal.stream().anyMatch(l -> l.startsWith(label)), label + " missing: " + terminal);
        }
        assertTrue(terminal.stream().anyMatch(l -> DEMO_JOB.matcher(l).matches()), "the job's line: " + terminal);
        assertTrue(terminal.stream().anyMatch(l -> l.startsWith("Demo: GET /fish/model answers 200 with 1 model")),
                terminal.toString());

        Path log = dir.resolve(LocalRun.LOG_FILE);
        List<JsonNode> logLines = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            logLines.add(Json.MAPPER.readTree(line)); // one JSON object per line, nothing else
        }
        assertTrue(logLines.stream().anyMatch(l -> l.has("_aws")), "the metric lines are in the log file");
        assertTrue(logLines.stream().anyMatch(l -> "voicedrop-worker".equals(l.path("service").asText())),
                "the functions' log lines are in the log file");
        for (JsonNode line : logLines) {
            assertFalse(List.of("WARN", "ERROR").contains(line.path("level").asText()), line.toString());
        }
    }
}
