package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.core.port.UploadStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Turns an uploaded object into at most one job. The job id is derived from the object's identity (key plus
 * ETag), so the same notification delivered twice finds the job it already made and enqueues nothing new.
 *
 * <p>Grouping: {@code incoming/<name>.<ext>} is a model of its own; files under {@code incoming/<folder>/} wait
 * for the folder's {@code model.json}, which makes one model of them. Every upload is checked (see
 * {@link UploadEvaluator}) before its job is written: only an accepted upload becomes a QUEUED job and is sent to
 * the queue; a rejected one is stored as REJECTED with every reason and reported, and never enqueued.
 */
public final class UploadIngestor {

    private final JobStore jobs;
    private final JobSubmitter submitter;
    private final Metrics metrics;
    private final UploadEvaluator evaluator;
    private final Clock clock;

    public UploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics, UploadStore store,
                          SampleRules rules, ArrivalWait arrivalWait, Sleeper sleeper,
                          Clock clock) {
        this.jobs = jobs;
        this.submitter = new JobSubmitter(jobs, queue, reporter, metrics, clock);
        this.metrics = metrics;
        this.evaluator = new UploadEvaluator(store, rules, arrivalWait,
                sleeper);
        this.clock = clock;
    }

    /** The job id of an upload: stable for the same object, different for a new version of it. */
    public static String jobIdFor(UploadedObject upload) {
        return UUID.nameUUIDFromBytes(upload.identity().getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The id of the job this object makes, if it can make one (a single file or a folder's model.json). */
    public static Optional<String> jobIdOf(UploadedObject upload) {
        UploadLayout.KeyKind kind = UploadLayout.classify(upload.key());
        return kind == UploadLayout.KeyKind.SINGLE_FILE || kind == UploadLayout.KeyKind.FOLDER_MANIFEST
                ? Optional.of(jobIdFor(upload)) : Optional.empty();
    }

    /**
     * @throws java.io.UncheckedIOException when the bucket could not be read; nothing was decided, so the caller
     *                                      should let the event be retried
     */
    public IngestResult ingest(UploadedObject upload) {
        switch (UploadLayout.classify(upload.key())) {
            case SINGLE_FILE:
                return decideOnce(upload, () -> evaluator.singleFile(upload));
            case FOLDER_MANIFEST:
                return decideOnce(upload, () -> evaluator.folder(upload));
            case FOLDER_FILE:
                return IngestResult.ignored(upload.key(), "part of a folder upload; waiting for its model.json");
            default:
                return IngestResult.ignored(upload.key(), "not under " + UploadLayout.INCOMING);
        }
    }

    /** A repeated delivery reuses the first decision: it is neither checked again nor made to wait again. */
    private IngestResult decideOnce(UploadedObject upload, Supplier<IngestDecision> decide) {
        String jobId = jobIdFor(upload);
        Optional<Job> existing = jobs.find(jobId);
        if (existing.isPresent()) {
            return resultOf(upload.key(), submitter.resubmit(existing.get()));
        }
        IngestDecision decision = decide.get();
        Job job;
        if (decision instanceof IngestDecision.Accept a) {
            job = Job.queued(jobId, upload.bucket(), a.sourceKeys(), a.samples(), a.spec(), a.warnings(),
                    clock.instant()).withOptions(a.options()).withQuality(a.quality());
        } else if (decision instanceof IngestDecision.Reject r) {
            job = Job.rejected(jobId, upload.bucket(), r.sourceKeys(), r.spec(), r.reasons(), r.warnings(),
                    clock.instant()).withOptions(r.options()).withQuality(r.quality());
        } else {
            metrics.count("UploadsSkipped");
            return IngestResult.ignored(upload.key(), ((IngestDecision.Skip) decision).note());
        }
        return resultOf(upload.key(), submitter.submit(job));
    }

    private static IngestResult resultOf(String key, JobSubmitter.Submission s) {
        Job job = s.job();
        if (!JobSubmitter.runnable(job)) {
            String message = job.error() == null ? job.status().name() : job.error().message();
            return new IngestResult(key, job.jobId(), job.status(), s.duplicate(), message);
        }
        return s.sent()
                ? new IngestResult(key, job.jobId(), JobStatus.QUEUED, s.duplicate(), "queued")
                : new IngestResult(key, job.jobId(), job.status(), true, "already enqueued");
    }
}
