package io.voicedrop.api;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import java.time.Instant;
import java.util.List;

/** Test data. */
final class Samples {

    private Samples() {
    }

    static ModelEntity model(String id, String title, List<String> tags, List<String> languages, String createdAt,
                             String authorId) {
        return new ModelEntity(id, "tts", title, null, null, "fast", "trained", tags,
                List.of(new ModelEntity.SampleEntity("s1", "hello", "task-1", "")), createdAt, null, languages,
                "private", false, 0, 0, 0, 3, false, false, new ModelEntity.Author(authorId, "pipeline", null));
    }

    static CatalogEntry entry(ModelEntity model, String titleLanguage) {
        return new CatalogEntry(model, "job-" + model.id(), List.of("incoming/" + model.id() + "/a.wav"),
                titleLanguage);
    }

    /** A failed job whose upstream error messages quote the presigned URL they could not fetch. */
    static Job failedJob(String jobId) {
        Instant t0 = Instant.parse("2026-11-27T09:00:00Z");
        String leaked = "could not fetch https://bucket.s3.eu-west-1.amazonaws.com/incoming/a.wav"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abcdef0123";
        List<Attempt> history = List.of(
                new Attempt(t0.plusSeconds(1), "create", "retry", 503, "api_error", leaked, 812, "up-trace-1"),
                new Attempt(t0.plusSeconds(30), "create", "failed", 400, "bad_request",
                        "voices[0] X-Amz-Credential=AKIA/20261127 unreachable", 95, "up-trace-2"));
        JobError error = new JobError("bad_request", leaked, 400, "up-trace-2");
        return new Job(jobId, JobStatus.FAILED, 4, "test-bucket", List.of("incoming/alice/a.wav"),
                List.of(new Sample("incoming/alice/a.wav", "v1", 1234, null)),
                ModelSpec.titled("Narrator - Alice"), 2, history, error,
                List.of("sample a.wav is short; see http://docs.example.org/samples"), null, true, null, null,
                t0, t0, t0.plusSeconds(31));
    }

    static Job queuedJob(String jobId, Instant updatedAt) {
        return Job.queued(jobId, "test-bucket", List.of("incoming/" + jobId + "/a.wav"),
                List.of(new Sample("incoming/" + jobId + "/a.wav", null, 10, "text")),
                ModelSpec.titled("Model " + jobId), List.of(), updatedAt);
    }

    static Job failedAt(String jobId, Instant createdAt) {
        Job failed = failedJob(jobId);
        return new Job(jobId, failed.status(), 1, failed.bucket(), failed.sourceKeys(), failed.samples(), failed.spec(),
                failed.attempts(), failed.history(), failed.error(), failed.warnings(), null, true, null, null,
                createdAt, createdAt, createdAt.plusSeconds(31));
    }

    /** A job {@code owner} asked for with {@code POST /fish/model}. */
    static Job apiJob(String jobId, Instant createdAt, String owner) {
        String key = ModelSubmissions.UPLOADS + jobId + "/01-voice.wav";
        return Job.queued(jobId, "test-bucket", List.of(key), List.of(new Sample(key, "v1", 10, null)),
                ModelSpec.titled("API " + jobId), List.of(), createdAt).ownedBy(owner);
    }
}
