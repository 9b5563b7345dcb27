package io.voicedrop.scripts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every script in {@code scripts/} answers {@code --help} with its usage (exit 0), and an unknown option with that
 * usage on stderr and exit code 2, at once: before anything is built and before any AWS call.
 */
class ScriptsUsageTest {

    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("scripts"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found above " + Path.of("").toAbsolutePath());
    }

    /** The scripts people run: every executable file directly in scripts/ ({@code scripts/lib} is sourced). */
    static Stream<Path> scripts() throws IOException {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(repository().resolve("scripts"))) {
            scripts = files.filter(Files::isRegularFile).sorted().toList();
        }
        assertFalse(scripts.isEmpty());
        for (Path s : scripts) {
            assertTrue(Files.isExecutable(s), s + " is in scripts/ but not executable");
        }
        return scripts.stream();
    }

    record Result(int code, String out, String err) {
    }

    static Result run(Path script, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(script.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(repository().toFile());
        // Whatever happens, no AWS call can leave this machine.
        pb.environment().put("AWS_ENDPOINT_URL", "http://127.0.0.1:9");
        Path out = Files.createTempFile("script-out", ".txt");
        Path err = Files.createTempFile("script-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(script + " " + String.join(" ", args) + " did not answer: it must not build");
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void helpPrintsTheUsage(Path script) throws Exception {
        Result r = run(script, "--help");
        assertEquals(0, r.code(), script + ": " + r.err());
        assertTrue(r.out().contains("scripts/" + script.getFileName()), "the usage shows how to call it: " + r.out());
        assertTrue(r.out().lines().count() >= 3, r.out());
        assertFalse(r.out().contains("#!"), r.out());
        assertTrue(r.err().isEmpty(), "--help writes nothing else: " + r.err());
    }

    @ParameterizedTest
    @MethodSource("scripts")
    void anUnknownOptionFailsWithTheUsageAndExitCodeTwo(Path script) throws Exception {
        Result r = run(script, "--no-such-option");
        assertEquals(2, r.code(), script + ": " + r.out() + r.err());
        assertTrue(r.err().contains("unknown option --no-such-option"), r.err());
        assertTrue(r.err().contains(run(script, "--help").out().strip()), "the usage follows the error: " + r.err());
        assertTrue(r.out().isEmpty(), "nothing ran: " + r.out());
    }

    /** The operator commands that take an id refuse a call without one, or with more, before anything runs. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"delete-model", "erase-upload"})
    void anOpsCommandWithoutItsIdFailsWithTheUsageAndExitCodeTwo(String command) throws Exception {
        Path ops = repository().resolve("scripts/voicedrop-ops.sh");
        for (String[] args : List.of(new String[] {"--stack", "x", command},
                new String[] {"--stack", "x", command, "a", "b"}, new String[] {"--stack", "x", command, ""})) {
            Result r = run(ops, args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains(command + " needs one id"), r.err());
            assertTrue(r.err().contains("delete-model ID"), "the usage names the commands: " + r.err());
            assertTrue(r.out().isEmpty(), "nothing ran: " + r.out());
        }
        Result unknown = run(ops, "--stack", "x", "delete-everything");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("unknown command delete-everything"), unknown.err());
    }

    /** {@code backfill-indexes} takes nothing but {@code --restart}. */
    @Test
    void theBackfillTakesOnlyRestart() throws Exception {
        Path ops = repository().resolve("scripts/voicedrop-ops.sh");
        for (String[] args : List.of(new String[] {"--stack", "x", "backfill-indexes", "now"},
                new String[] {"--stack", "x", "backfill-indexes", "--restart", "again"})) {
            Result r = run(ops, args);
            assertEquals(2, r.code(), String.join(" ", args) + ": " + r.out() + r.err());
            assertTrue(r.err().contains("backfill-indexes takes only --restart"), r.err());
            assertTrue(r.err().contains("backfill-indexes [--restart]"), "the usage names it: " + r.err());
            assertTrue(r.out().isEmpty(), "nothing ran: " + r.out());
        }
    }
}
