package io.voicedrop.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.testing.Jobs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The local runner's human view, fed with jobs as the store writes them. */
class TerminalViewTest {

    private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TerminalView view = new TerminalView(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            Clock.fixed(T0.plusSeconds(10), ZoneOffset.UTC));

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void oneLinePerTransitionEachWithThePathSoFar() {
        Job queued = queued("j1", "incoming/alice/model.json");
        view.accept(queued);
        view.accept(queued.enqueued(T0)); // same status: no line
        Job running = queued.claimed(T0.plusSeconds(60), T0.plusSeconds(1));
        view.accept(running);
        view.accept(running.withModel("18e4a2c0ffee", JobStatus.SUCCEEDED, T0.plus(Duration.ofMillis(3200))));
        assertEquals(List.of(
                "incoming/alice/ → QUEUED",
                "incoming/alice/ → QUEUED → RUNNING",
                "incoming/alice/ → QUEUED → RUNNING → SUCCEEDED  model 18e4… (3.2 s)"), lines());
    }

    @Test
    void aRejectionListsEveryReasonAndAWarningIsShownOnce() {
        view.accept(Jobs.rejected("j2", "model.json: unknown field \"titel\"", "take2.wav: not audio: text")
                .sourceKeys(List.of("incoming/bad/model.json")).spec(ModelSpec.titled("bad")).createdAt(T0)
                .updatedAt(T0).build());
        Job warned = Jobs.queued("j3", T0).sourceKeys(List.of("incoming/short.wav"))
                .samples(List.of(new Sample("incoming/short.wav", "v", 1, null))).spec(ModelSpec.titled("short"))
                .warnings(List.of("short.wav: 12.0 s long, under the recommended 30 s per sample")).build();
        view.accept(warned);
        view.accept(warned.claimed(T0.plusSeconds(60), T0));
        assertEquals(List.of(
                "incoming/bad/ → REJECTED  nothing billed",
                "    · model.json: unknown field \"titel\"",
                "    · take2.wav: not audio: text",
                "incoming/short.wav → QUEUED",
                "    warning: short.wav: 12.0 s long, under the recommended 30 s per sample",
                "incoming/short.wav → QUEUED → RUNNING"), lines());
    }

    @Test
    void retriesAndFailuresSayWhyWithoutUrls() {
        Job job = queued("j4", "incoming/x.wav").claimed(T0.plusSeconds(60), T0);
        String leaky = "could not fetch https://b.s3.amazonaws.com/incoming/x.wav?X-Amz-Signature=abc";
        view.accept(job);
        view.accept(job.waitingForRetry(new JobError("api_error", leaky, 503, "t"), T0.plusSeconds(14), T0));
        view.accept(job.failed(new JobError("bad_request", leaky, 400, "t"), T0.plusSeconds(20)));
        List<String> lines = lines();
        assertEquals("incoming/x.wav → RUNNING → RETRY_WAIT  upstream 503 api_error: could not fetch [url removed]; "
                + "next attempt in 4 s", lines.get(1));
        assertEquals("incoming/x.wav → RUNNING → RETRY_WAIT → FAILED  upstream 400 bad_request: could not fetch "
                + "[url removed] (20.0 s, 0 attempts)", lines.get(2));
        assertFalse(String.join("\n", lines).contains("X-Amz"));
    }

    @Test
    void apiJobsAreNamedByTheirTitle() {
        Job api = Jobs.viaApi("j5", T0, "alice").spec(ModelSpec.titled("Narrator - Alice")).build();
        assertEquals("POST /fish/model \"Narrator - Alice\"", TerminalView.label(api));
    }

    @Test
    void manyJobsInFlightAreSummedUpWhileEndingJobsStillGetTheirLine() {
        for (int i = 0; i < TerminalView.BUSY + 3; i++) {
            view.accept(queued("many-" + i, "incoming/many-" + i + ".wav"));
        }
        int before = lines().size();
        view.accept(queued("many-0", "incoming/many-0.wav").claimed(T0.plusSeconds(60), T0));
        assertEquals(before, lines().size(), "a job on its way is summed up while many are in flight");
        view.tick();
        view.tick(); // unchanged: not printed again
        view.accept(queued("many-1", "incoming/many-1.wav").withModel("abcdef123", JobStatus.SUCCEEDED,
                T0.plusSeconds(2)));
        view.tick();
        List<String> after = lines().subList(before, lines().size());
        assertEquals(List.of(
                "… 8 jobs in flight (7 QUEUED, 1 RUNNING)",
                "incoming/many-1.wav → QUEUED → SUCCEEDED  model abcd… (2.0 s)",
                "… 7 jobs in flight (6 QUEUED, 1 RUNNING); ended so far: 1 SUCCEEDED"), after);
        assertTrue(lines().subList(0, before).stream().allMatch(l -> l.endsWith("→ QUEUED")),
                "the first jobs were shown one by one: " + lines());
    }

    @Test
    void awaitEndReturnsTheEndedJob() throws Exception {
        Job job = queued("j6", "incoming/y.wav");
        view.accept(job);
        assertTrue(view.awaitEnd("j6", Duration.ofMillis(20)).isEmpty());
        Thread later = new Thread(() -> view.accept(job.withModel("m1", JobStatus.SUCCEEDED, T0.plusSeconds(1))));
        later.start();
        assertEquals(JobStatus.SUCCEEDED, view.awaitEnd("j6", Duration.ofSeconds(10)).orElseThrow().status());
        later.join();
    }

    private static Job queued(String id, String key) {
        return Jobs.queued(id, T0).sourceKeys(List.of(key)).samples(List.of(new Sample(key, "v", 1, null))).build();
    }
}
