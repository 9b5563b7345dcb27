package io.voicedrop.core.service;

import io.voicedrop.audio.AudioProbe;
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
import java.time.Duration;
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

    /**
     * The message becomes visible only after ingest has recorded {@code enqueuedAt}: a worker claiming the job
     * in between would lose its compare-and-set and put the job off by a whole call allowance.
     */
    static final Duration HAND_OVER_DELAY = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final JobQueue queue;
    private final StatusReporter reporter;
    private final Metrics metrics;
    private final UploadEvaluator evaluator;
    private final Clock clock;

    public UploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics, UploadStore store,
                          AudioProbe probe, IngestLimits limits, ArrivalWait arrivalWait, Sleeper sleeper,
                          Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.reporter = reporter;
        this.metrics = metrics;
        this.evaluator = new UploadEvaluator(store, new SampleInspector(store, probe, limits), limits, arrivalWait,
                sleeper);
        this.clock = clock;
    }

    /** The job id of an upload: stable for the same object, different for a new version of it. */
    public static String jobIdFor(UploadedObject upload) {
        return UUID.nameUUIDFromBytes(upload.identity().getBytes(StandardCharsets.UTF_8)).toString();
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
            return afterStore(upload.key(), existing.get(), false);
        }
        IngestDecision decision = decide.get();
        Job job;
        if (decision instanceof IngestDecision.Accept a) {
            job = Job.queued(jobId, upload.bucket(), a.sourceKeys(), a.samples(), a.spec(), a.warnings(),
                    clock.instant());
        } else if (decision instanceof IngestDecision.Reject r) {
            job = Job.rejected(jobId, upload.bucket(), r.sourceKeys(), r.spec(), r.reasons(), r.warnings(),
                    clock.instant());
        } else {
            metrics.count("UploadsSkipped");
            return IngestResult.ignored(upload.key(), ((IngestDecision.Skip) decision).note());
        }
        boolean created = jobs.createIfAbsent(job);
        Job stored = created ? job : jobs.find(jobId).orElse(job);
        return afterStore(upload.key(), stored, created);
    }

    /**
     * Reports a new job and hands a runnable one to the queue. A duplicate whose first delivery died between the
     * write and the send (no {@code enqueuedAt}) is sent now, so no upload is ever stranded.
     */
    private IngestResult afterStore(String key, Job stored, boolean created) {
        if (!runnable(stored)) {
            if (created) {
                metrics.count("UploadsRejected");
                reporter.report(stored);
            }
            String message = stored.error() == null ? stored.status().name() : stored.error().message();
            return new IngestResult(key, stored.jobId(), stored.status(), !created, message);
        }
        if (!created && stored.enqueuedAt() != null) {
            metrics.count("DuplicatesAvoided");
            return new IngestResult(key, stored.jobId(), stored.status(), true, "already enqueued");
        }
        queue.enqueue(stored.jobId(), HAND_OVER_DELAY);
        Optional<Job> marked = markEnqueued(stored.jobId());
        if (created) {
            metrics.count("UploadsAccepted");
        }
        reporter.report(marked.orElse(stored));
        return new IngestResult(key, stored.jobId(), JobStatus.QUEUED, !created, "queued");
    }

    /** Only a job built from an accepted upload has samples and is not REJECTED; nothing else is ever enqueued. */
    private static boolean runnable(Job job) {
        return job.status() != JobStatus.REJECTED && !job.samples().isEmpty();
    }

    private Optional<Job> markEnqueued(String jobId) {
        // The worker may already have moved the job on; losing this race is harmless, the flag only guards re-sends.
        try {
            Job current = jobs.find(jobId).orElseThrow();
            return Optional.of(jobs.update(current.enqueued(clock.instant())));
        } catch (JobStore.JobChangedConcurrently raced) {
            return Optional.empty();
        }
    }
}
