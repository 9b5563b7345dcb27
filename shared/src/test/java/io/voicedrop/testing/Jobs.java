package io.voicedrop.testing;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobOptions;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.model.Sample;
import java.time.Instant;
import java.util.List;

/** The one place tests build jobs: every field set, so a new field shows up in every round-trip test at once. */
public final class Jobs {

    public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

    private Jobs() {
    }

    public static Job fullyPopulated() {
        Instant t = T0;
        return new Job("job-full", JobStatus.RETRY_WAIT, 7, "test-bucket",
                List.of("incoming/alice/a.wav", "incoming/alice/model.json"),
                List.of(new Sample("incoming/alice/a.wav", "v1", 1234, "hello there")),
                new ModelSpec("Narrator - Alice", "calm", List.of("en", "narration"), "public", "tts", "slow", false,
                        "covers/alice.png", "en", Boolean.TRUE, true),
                2,
                List.of(new Attempt(t, "create", Attempt.RETRY, 503, "unavailable", "try later", 420, "tr-1"),
                        Attempt.note(t.plusSeconds(1), "delete", Attempt.REQUESTED, "requested by key ab12")),
                new JobError("unavailable", "upstream busy", 503, "tr-1"),
                List.of("a.wav is short"), "model-9", true, t.plusSeconds(60), t.plusSeconds(90), t.plusSeconds(2),
                t, t.plusSeconds(3), List.of("none really"), "alice",
                new JobOptions("https://hooks.example.org/h", "Hello from Alice"),
                new Preview("ready", "Hello from Alice", null, "previews/job-full.mp3", 2048, t.plusSeconds(4)),
                new QualityReport(List.of(new QualityReport.SampleQuality("a.wav", "analysed", null, 31.5, 28.0,
                        3.5, 0.0, 0.1, -18.2, -1.5, -60.0, 40.0, 1, "mono", List.of("loudness"))),
                        new QualityReport.ModelQuality(1, 1, 31.5, 28.0, 3.5, -18.2, -18.2, 0.0, 0.0, 40.0, 1)),
                "target-job");
    }
}
