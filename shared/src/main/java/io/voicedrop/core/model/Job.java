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

    /**
     * A deletion job: deletes {@code modelId} upstream (null: whatever model {@code targetJobId} made, if any) and
     * erases what VoiceDrop keeps of it. {@code requested} is the first history entry (who asked, and when).
     */
    public static Job deletion(String jobId, String bucket, String targetJobId, String modelId, String owner,
                               Attempt requested, Instant now) {
        return builder(jobId).status(JobStatus.DELETING).bucket(bucket).spec(ModelSpec.titled(""))
                .history(List.of(requested)).modelId(modelId).createdAt(now).updatedAt(now).owner(owner)
                .targetJobId(targetJobId == null ? "" : targetJobId).build();
    }

    /** True for a deletion job (whatever its status now). */
    @JsonIgnore
    public boolean isDeletion() {
        return targetJobId != null;
    }

    public static Job queued(String jobId, String bucket, List<String> sourceKeys, List<Sample> samples,
                             ModelSpec spec, List<String> warnings, Instant now) {
        return builder(jobId).status(JobStatus.QUEUED).bucket(bucket).sourceKeys(sourceKeys).samples(samples)
                .spec(spec).warnings(warnings).createdAt(now).updatedAt(now).build();
    }

    public static Job rejected(String jobId, String bucket, List<String> sourceKeys, ModelSpec spec,
                               List<String> reasons, List<String> warnings, Instant now) {
        JobError error = JobError.of("rejected", String.join("; ", reasons));
        return builder(jobId).status(JobStatus.REJECTED).bucket(bucket).sourceKeys(sourceKeys).spec(spec)
                .error(error).warnings(warnings).createdAt(now).updatedAt(now).reasons(reasons).build();
    }

    /** The same job, asked for by {@code newOwner} through the API (set before the job is first stored). */
    public Job ownedBy(String newOwner) {
        return edit().owner(newOwner).build();
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
        return edit().quality(report).build();
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

    /** A builder with nothing set: lists empty, {@link JobOptions#NONE}, every other field null, zero or false. */
    public static Builder builder(String jobId) {
        return new Builder().jobId(jobId);
    }

    /** A builder holding this job: change what differs, then {@link Builder#build()}. */
    public Builder edit() {
        return new Builder(this);
    }

    /**
     * Why a builder rather than one {@code with…} method per field: most transitions above change three to five
     * fields together (status, error, lease, next attempt, updatedAt), and new jobs set a dozen; a builder names
     * each field at the call, and a new field is one more setter here, not another constructor every caller breaks
     * on (the telescoping constructors it replaced grew by one per feature).
     */
    public static final class Builder {
        private String jobId;
        private JobStatus status;
        private long version;
        private String bucket;
        private List<String> sourceKeys;
        private List<Sample> samples;
        private ModelSpec spec;
        private int attempts;
        private List<Attempt> history;
        private JobError error;
        private List<String> warnings;
        private String modelId;
        private boolean createStarted;
        private Instant leaseUntil;
        private Instant nextAttemptAt;
        private Instant enqueuedAt;
        private Instant createdAt;
        private Instant updatedAt;
        private List<String> reasons;
        private String owner;
        private JobOptions options;
        private Preview preview;
        private QualityReport quality;
        private String targetJobId;

        private Builder() {
        }

        private Builder(Job j) {
            jobId = j.jobId;
            status = j.status;
            version = j.version;
            bucket = j.bucket;
            sourceKeys = j.sourceKeys;
            samples = j.samples;
            spec = j.spec;
            attempts = j.attempts;
            history = j.history;
            error = j.error;
            warnings = j.warnings;
            modelId = j.modelId;
            createStarted = j.createStarted;
            leaseUntil = j.leaseUntil;
            nextAttemptAt = j.nextAttemptAt;
            enqueuedAt = j.enqueuedAt;
            createdAt = j.createdAt;
            updatedAt = j.updatedAt;
            reasons = j.reasons;
            owner = j.owner;
            options = j.options;
            preview = j.preview;
            quality = j.quality;
            targetJobId = j.targetJobId;
        }

        public Builder jobId(String v) { jobId = v; return this; }
        public Builder status(JobStatus v) { status = v; return this; }
        public Builder version(long v) { version = v; return this; }
        public Builder bucket(String v) { bucket = v; return this; }
        public Builder sourceKeys(List<String> v) { sourceKeys = v; return this; }
        public Builder samples(List<Sample> v) { samples = v; return this; }
        public Builder spec(ModelSpec v) { spec = v; return this; }
        public Builder attempts(int v) { attempts = v; return this; }
        public Builder history(List<Attempt> v) { history = v; return this; }
        public Builder error(JobError v) { error = v; return this; }
        public Builder warnings(List<String> v) { warnings = v; return this; }
        public Builder modelId(String v) { modelId = v; return this; }
        public Builder createStarted(boolean v) { createStarted = v; return this; }
        public Builder leaseUntil(Instant v) { leaseUntil = v; return this; }
        public Builder nextAttemptAt(Instant v) { nextAttemptAt = v; return this; }
        public Builder enqueuedAt(Instant v) { enqueuedAt = v; return this; }
        public Builder createdAt(Instant v) { createdAt = v; return this; }
        public Builder updatedAt(Instant v) { updatedAt = v; return this; }
        public Builder reasons(List<String> v) { reasons = v; return this; }
        public Builder owner(String v) { owner = v; return this; }
        public Builder options(JobOptions v) { options = v; return this; }
        public Builder preview(Preview v) { preview = v; return this; }
        public Builder quality(QualityReport v) { quality = v; return this; }
        public Builder targetJobId(String v) { targetJobId = v; return this; }

        public Job build() {
            return new Job(jobId, status, version, bucket, sourceKeys, samples, spec, attempts, history, error,
                    warnings, modelId, createStarted, leaseUntil, nextAttemptAt, enqueuedAt, createdAt, updatedAt,
                    reasons, owner, options, preview, quality, targetJobId);
        }
    }
}
