package io.voicedrop.core.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A request to create one voice model, and everything that happened to it. The job record is the single source
 * of truth for the pipeline: ingest creates it, the worker moves it forward, the API reads it.
 *
 * @param version       incremented on every write; stores use it for compare-and-set so no update is lost
 * @param leaseUntil    while RUNNING, the instant after which another worker may take the job over
 * @param createStarted true once a create call was sent upstream: from then on a retry must first look for the
 *                      model upstream (the call may have succeeded without us hearing back)
 * @param enqueuedAt    when ingest handed the job to the queue; null means a crash came between write and send
 * @param reasons       why ingest rejected the upload, one entry per problem (empty unless REJECTED); the error
 *                      message joins them for readers that show only the message
 * @param owner         who asked for the job through the API (the API key's owner), or null for a job of the
 *                      deployment itself (a bucket upload: the bucket has one owner, the deployment). Never changes.
 *                      A deletion job has the owner of the voice it erases.
 * @param options       webhook and spoken-preview requests ({@link JobOptions#NONE} when none)
 * @param preview       the spoken preview's progress; null until the worker starts one
 * @param quality       what the voice-quality check heard in the samples before anything was billed; null when
 *                      it did not run
 * @param targetJobId   for a deletion job: the create job whose model and samples it erases, or {@code ""} when
 *                      the model has no create job; null for every other job (that is how the two kinds differ)
 */
public record Job(String jobId, JobStatus status, long version, String bucket, List<String> sourceKeys,
                  List<Sample> samples, ModelSpec spec, int attempts, List<Attempt> history, JobError error,
                  List<String> warnings, String modelId, boolean createStarted, Instant leaseUntil,
                  Instant nextAttemptAt, Instant enqueuedAt, Instant createdAt, Instant updatedAt,
                  List<String> reasons, String owner, JobOptions options, Preview preview,
                  QualityReport quality, String targetJobId) {

    public Job {
        sourceKeys = sourceKeys == null ? List.of() : List.copyOf(sourceKeys);
        samples = samples == null ? List.of() : List.copyOf(samples);
        history = history == null ? List.of() : List.copyOf(history);
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
        reasons = reasons == null ? List.of() : List.copyOf(reasons);
        options = options == null ? JobOptions.NONE : options;
    }

    /** The record before {@code targetJobId} was added (every job but a deletion); kept so callers compile unchanged. */
    public Job(String jobId, JobStatus status, long version, String bucket, List<String> sourceKeys,
               List<Sample> samples, ModelSpec spec, int attempts, List<Attempt> history, JobError error,
               List<String> warnings, String modelId, boolean createStarted, Instant leaseUntil,
               Instant nextAttemptAt, Instant enqueuedAt, Instant createdAt, Instant updatedAt,
               List<String> reasons, String owner, JobOptions options, Preview preview, QualityReport quality) {
        this(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings, modelId,
                createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, reasons, owner, options,
                preview, quality, null);
    }

    /** The record before {@code quality} was added; kept so existing callers compile unchanged. */
    public Job(String jobId, JobStatus status, long version, String bucket, List<String> sourceKeys,
               List<Sample> samples, ModelSpec spec, int attempts, List<Attempt> history, JobError error,
               List<String> warnings, String modelId, boolean createStarted, Instant leaseUntil,
               Instant nextAttemptAt, Instant enqueuedAt, Instant createdAt, Instant updatedAt,
               List<String> reasons, String owner, JobOptions options, Preview preview) {
        this(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings, modelId,
                createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, reasons, owner, options,
                preview, null, null);
    }

    /** The record before {@code owner}, {@code options} and {@code preview}; kept so existing callers compile unchanged. */
    public Job(String jobId, JobStatus status, long version, String bucket, List<String> sourceKeys,
               List<Sample> samples, ModelSpec spec, int attempts, List<Attempt> history, JobError error,
               List<String> warnings, String modelId, boolean createStarted, Instant leaseUntil,
               Instant nextAttemptAt, Instant enqueuedAt, Instant createdAt, Instant updatedAt,
               List<String> reasons) {
        this(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings, modelId,
                createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, reasons, null, null, null);
    }

    /** The record before {@code reasons} was added; kept so existing callers compile unchanged. */
    public Job(String jobId, JobStatus status, long version, String bucket, List<String> sourceKeys,
               List<Sample> samples, ModelSpec spec, int attempts, List<Attempt> history, JobError error,
               List<String> warnings, String modelId, boolean createStarted, Instant leaseUntil,
               Instant nextAttemptAt, Instant enqueuedAt, Instant createdAt, Instant updatedAt) {
        this(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings, modelId,
                createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, List.of(), null, null, null);
    }

    /**
     * A deletion job: deletes {@code modelId} upstream (null: whatever model {@code targetJobId} made, if any) and
     * erases what VoiceDrop keeps of it. {@code requested} is the first history entry (who asked, and when).
     */
    public static Job deletion(String jobId, String bucket, String targetJobId, String modelId, String owner,
                               Attempt requested, Instant now) {
        return new Job(jobId, JobStatus.DELETING, 0, bucket, List.of(), List.of(), ModelSpec.titled(""), 0,
                List.of(requested), null, List.of(), modelId, false, null, null, null, now, now, List.of(), owner,
                JobOptions.NONE, null, null, targetJobId == null ? "" : targetJobId);
    }

    /** True for a deletion job (whatever its status now). */
    @JsonIgnore
    public boolean isDeletion() {
        return targetJobId != null;
    }

    public static Job queued(String jobId, String bucket, List<String> sourceKeys, List<Sample> samples,
                             ModelSpec spec, List<String> warnings, Instant now) {
        return new Job(jobId, JobStatus.QUEUED, 0, bucket, sourceKeys, samples, spec, 0, List.of(), null,
                warnings, null, false, null, null, null, now, now);
    }

    public static Job rejected(String jobId, String bucket, List<String> sourceKeys, ModelSpec spec,
                               List<String> reasons, List<String> warnings, Instant now) {
        JobError error = JobError.of("rejected", String.join("; ", reasons));
        return new Job(jobId, JobStatus.REJECTED, 0, bucket, sourceKeys, List.of(), spec, 0, List.of(), error,
                warnings, null, false, null, null, null, now, now, reasons);
    }

    /** The same job, asked for by {@code newOwner} through the API (set before the job is first stored). */
    public Job ownedBy(String newOwner) {
        return new Job(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings,
                modelId, createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, reasons, newOwner,
                options, preview, quality, targetJobId);
    }

    public Job enqueued(Instant now) {
        return edit().enqueuedAt(now).updatedAt(now).build();
    }

    public Job withStatus(JobStatus newStatus, Instant now) {
        return edit().status(newStatus).leaseUntil(null).updatedAt(now).build();
    }

    public Job claimed(Instant lease, Instant now) {
        return edit().status(JobStatus.RUNNING).leaseUntil(lease).nextAttemptAt(null).updatedAt(now).build();
    }

    /** Adds an upstream call to the history; {@code counts} says whether it uses one of the job's attempts. */
    public Job withAttempt(Attempt attempt, boolean counts) {
        List<Attempt> h = new ArrayList<>(history);
        h.add(attempt);
        return edit().history(h).attempts(counts ? attempts + 1 : attempts).build();
    }

    public Job withCreateStarted() {
        return edit().createStarted(true).build();
    }

    public Job withModel(String newModelId, JobStatus newStatus, Instant now) {
        return edit().modelId(newModelId).status(newStatus).error(null).leaseUntil(null).nextAttemptAt(null)
                .updatedAt(now).build();
    }

    public Job failed(JobError newError, Instant now) {
        return edit().status(JobStatus.FAILED).error(newError).leaseUntil(null).nextAttemptAt(null).updatedAt(now)
                .build();
    }

    public Job waitingForRetry(JobError lastError, Instant retryAt, Instant now) {
        return edit().status(JobStatus.RETRY_WAIT).error(lastError).leaseUntil(null).nextAttemptAt(retryAt)
                .updatedAt(now).build();
    }

    /** A deletion job claimed by a worker: the lease, without leaving {@link JobStatus#DELETING}. */
    public Job leased(Instant lease, Instant now) {
        return edit().leaseUntil(lease).nextAttemptAt(null).updatedAt(now).build();
    }

    /** A deletion job backing off: it stays {@link JobStatus#DELETING}, due again at {@code retryAt}. */
    public Job deletionWaiting(JobError lastError, Instant retryAt, Instant now) {
        return edit().error(lastError).leaseUntil(null).nextAttemptAt(retryAt).updatedAt(now).build();
    }

    /** A deletion job started again (a new request after it failed): fresh attempts, no error. */
    public Job deletionRestarted(Attempt requested, Instant now) {
        return withAttempt(requested, false).edit().status(JobStatus.DELETING).attempts(0).error(null)
                .leaseUntil(null).nextAttemptAt(null).enqueuedAt(null).updatedAt(now).build();
    }

    /** Stopped for good with {@code why} recorded: no further upstream call will be made for this job. */
    public Job cancelled(Attempt why, Instant now) {
        return withAttempt(why, false).edit().status(JobStatus.CANCELLED).leaseUntil(null).nextAttemptAt(null)
                .updatedAt(now).build();
    }

    /** The same job knowing the model it is about (a deletion job that found its model upstream). */
    public Job withModelId(String newModelId, Instant now) {
        return edit().modelId(newModelId).updatedAt(now).build();
    }

    /** A deletion job that finished. */
    public Job deleted(Instant now) {
        return edit().status(JobStatus.DELETED).error(null).leaseUntil(null).nextAttemptAt(null).updatedAt(now)
                .build();
    }

    /** The job with the quality check's report (written once, by whoever created the job). */
    public Job withQuality(QualityReport report) {
        return new Job(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error, warnings,
                modelId, createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt, reasons, owner,
                options, preview, report, targetJobId);
    }

    public Job withVersion(long newVersion) {
        return edit().version(newVersion).build();
    }

    public Job withOptions(JobOptions newOptions) {
        return edit().options(newOptions).build();
    }

    public Job withPreview(Preview newPreview) {
        return edit().preview(newPreview).build();
    }

    /** Adds a warning the user should read (e.g. why there is no spoken preview); the status does not change. */
    public Job withWarning(String warning) {
        List<String> w = new ArrayList<>(warnings);
        w.add(warning);
        return edit().warnings(w).build();
    }

    /** Records the model id while the job is still held (status and lease unchanged). */
    public Job withModelId(String newModelId) {
        return edit().modelId(newModelId).build();
    }

    private Editor edit() {
        return new Editor(this);
    }

    /** Copy-with-changes for the record; keeps the transitions above one line each. */
    private static final class Editor {
        private final Job j;
        private JobStatus status;
        private long version;
        private int attempts;
        private List<Attempt> history;
        private JobError error;
        private String modelId;
        private boolean createStarted;
        private Instant leaseUntil;
        private Instant nextAttemptAt;
        private Instant enqueuedAt;
        private Instant updatedAt;
        private List<String> warnings;
        private JobOptions options;
        private Preview preview;

        Editor(Job j) {
            this.j = j;
            status = j.status;
            version = j.version;
            attempts = j.attempts;
            history = j.history;
            error = j.error;
            modelId = j.modelId;
            createStarted = j.createStarted;
            leaseUntil = j.leaseUntil;
            nextAttemptAt = j.nextAttemptAt;
            enqueuedAt = j.enqueuedAt;
            updatedAt = j.updatedAt;
            warnings = j.warnings;
            options = j.options;
            preview = j.preview;
        }

        Editor status(JobStatus v) { status = v; return this; }
        Editor version(long v) { version = v; return this; }
        Editor attempts(int v) { attempts = v; return this; }
        Editor history(List<Attempt> v) { history = v; return this; }
        Editor error(JobError v) { error = v; return this; }
        Editor modelId(String v) { modelId = v; return this; }
        Editor createStarted(boolean v) { createStarted = v; return this; }
        Editor leaseUntil(Instant v) { leaseUntil = v; return this; }
        Editor nextAttemptAt(Instant v) { nextAttemptAt = v; return this; }
        Editor enqueuedAt(Instant v) { enqueuedAt = v; return this; }
        Editor updatedAt(Instant v) { updatedAt = v; return this; }
        Editor warnings(List<String> v) { warnings = v; return this; }
        Editor options(JobOptions v) { options = v; return this; }
        Editor preview(Preview v) { preview = v; return this; }

        Job build() {
            return new Job(j.jobId, status, version, j.bucket, j.sourceKeys, j.samples, j.spec, attempts, history,
                    error, warnings, modelId, createStarted, leaseUntil, nextAttemptAt, enqueuedAt, j.createdAt,
                    updatedAt, j.reasons, j.owner, options, preview, j.quality, j.targetJobId);
        }
    }
}
