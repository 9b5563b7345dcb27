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
import io.voicedrop.core.service.UploadLayout;
import java.time.Instant;
import java.util.List;

/**
 * The one place tests build jobs (shared with the other modules through this module's test jar). Each method returns
 * a {@link Job.Builder} with what a test usually does not care about already set, so a test states only the fields
 * its assertions are about: {@code Jobs.queued("j1").owner("alice").build()}.
 */
public final class Jobs {

    public static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
    public static final String BUCKET = "test-bucket";

    private Jobs() {
    }

    /**
     * A fresh upload job: one sample {@code incoming/<jobId>/a.wav}, titled after the job, created at {@link #T0}.
     * Starts from the domain's own factory, so a fixture job is shaped like one ingest makes.
     */
    public static Job.Builder queued(String jobId) {
        String key = "incoming/" + jobId + "/a.wav";
        return Job.queued(jobId, BUCKET, List.of(key), List.of(new Sample(key, "v1", 10, null)),
                ModelSpec.titled(jobId), List.of(), T0).edit();
    }

    /** {@link #queued} made at {@code at} (created and last updated). */
    public static Job.Builder queued(String jobId, Instant at) {
        return queued(jobId).createdAt(at).updatedAt(at);
    }

    /** A job {@code owner} asked for with {@code POST /fish/model} (its samples under the API's uploads prefix). */
    public static Job.Builder viaApi(String jobId, Instant at, String owner) {
        String key = UploadLayout.UPLOADS + jobId + "/01-voice.wav";
        return queued(jobId, at).sourceKeys(List.of(key)).samples(List.of(new Sample(key, "v1", 10, null)))
                .owner(owner);
    }

    /** An upload job ingest turned down for {@code reasons}, as {@code Job.rejected} records it. */
    public static Job.Builder rejected(String jobId, String... reasons) {
        return Job.rejected(jobId, BUCKET, List.of("incoming/" + jobId + "/a.wav"), ModelSpec.titled(jobId),
                List.of(reasons), List.of(), T0).edit();
    }

    /** A deletion job {@code owner} asked for at {@code at}, erasing {@code modelId} and what {@code targetJobId} made. */
    public static Job.Builder deletion(String jobId, String targetJobId, String modelId, String owner, Instant at) {
        return Job.deletion(jobId, BUCKET, targetJobId, modelId, owner,
                Attempt.note(at, "delete", Attempt.REQUESTED, "requested by a test"), at).edit();
    }

    /**
     * A job that failed upstream after a retry, whose upstream messages quote the presigned URL and credential they
     * could not fetch (what every reader of a job must redact).
     */
    public static Job.Builder failedQuotingPresignedUrls(String jobId) {
        Instant t0 = Instant.parse("2026-11-27T09:00:00Z");
        String leaked = "could not fetch https://bucket.s3.eu-west-1.amazonaws.com/incoming/a.wav"
                + "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=abcdef0123";
        return Job.builder(jobId).status(JobStatus.FAILED).version(4).bucket(BUCKET)
                .sourceKeys(List.of("incoming/alice/a.wav"))
                .samples(List.of(new Sample("incoming/alice/a.wav", "v1", 1234, null)))
                .spec(ModelSpec.titled("Narrator - Alice")).attempts(2)
                .history(List.of(
                        new Attempt(t0.plusSeconds(1), "create", "retry", 503, "api_error", leaked, 812, "up-trace-1"),
                        new Attempt(t0.plusSeconds(30), "create", "failed", 400, "bad_request",
                                "voices[0] X-Amz-Credential=AKIA/20261127 unreachable", 95, "up-trace-2")))
                .error(new JobError("bad_request", leaked, 400, "up-trace-2"))
                .warnings(List.of("sample a.wav is short; see http://docs.example.org/samples")).createStarted(true)
                .enqueuedAt(t0).createdAt(t0).updatedAt(t0.plusSeconds(31));
    }

    /** Every field set to a value other than its default, so a mapping that drops or renames one is caught. */
    public static Job fullyPopulated() {
        Instant t = T0;
        return Job.builder("job-full").status(JobStatus.RETRY_WAIT).version(7).bucket(BUCKET)
                .sourceKeys(List.of("incoming/alice/a.wav", "incoming/alice/model.json"))
                .samples(List.of(new Sample("incoming/alice/a.wav", "v1", 1234, "hello there")))
                .spec(new ModelSpec("Narrator - Alice", "calm", List.of("en", "narration"), "public", "tts", "slow",
                        false, "covers/alice.png", "en", Boolean.TRUE, true))
                .attempts(2)
                .history(List.of(new Attempt(t, "create", Attempt.RETRY, 503, "unavailable", "try later", 420, "tr-1"),
                        Attempt.note(t.plusSeconds(1), "delete", Attempt.REQUESTED, "requested by key ab12")))
                .error(new JobError("unavailable", "upstream busy", 503, "tr-1"))
                .warnings(List.of("a.wav is short")).modelId("model-9").createStarted(true)
                .leaseUntil(t.plusSeconds(60)).nextAttemptAt(t.plusSeconds(90)).enqueuedAt(t.plusSeconds(2))
                .createdAt(t).updatedAt(t.plusSeconds(3)).reasons(List.of("none really")).owner("alice")
                .options(new JobOptions("https://hooks.example.org/h", "Hello from Alice"))
                .preview(new Preview("ready", "Hello from Alice", null, "previews/job-full.mp3", 2048,
                        t.plusSeconds(4)))
                .quality(new QualityReport(List.of(new QualityReport.SampleQuality("a.wav", "analysed", null, 31.5,
                        28.0, 3.5, 0.0, 0.1, -18.2, -1.5, -60.0, 40.0, 1, "mono", List.of("loudness"))),
                        new QualityReport.ModelQuality(1, 1, 31.5, 28.0, 3.5, -18.2, -18.2, 0.0, 0.0, 40.0, 1)))
                .targetJobId("target-job").build();
    }
}
