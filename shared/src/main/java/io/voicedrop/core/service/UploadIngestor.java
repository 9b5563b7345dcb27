package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Turns an uploaded object into at most one job. The job id is derived from the object's identity (key plus
 * version or ETag), so the same notification delivered twice finds the job it already made and enqueues nothing new.
 */
public final class UploadIngestor {

    private final JobStore jobs;
    private final JobQueue queue;
    private final StatusReporter reporter;
    private final Metrics metrics;
    private final IngestLimits limits;
    private final Clock clock;

    public UploadIngestor(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics,
                          IngestLimits limits, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.reporter = reporter;
        this.metrics = metrics;
        this.limits = limits;
        this.clock = clock;
    }

    /** The job id of an upload: stable for the same object, different for a new version of it. */
    public static String jobIdFor(UploadedObject upload) {
        return UUID.nameUUIDFromBytes(upload.identity().getBytes(StandardCharsets.UTF_8)).toString();
    }

    public IngestResult ingest(UploadedObject upload) {
        switch (UploadLayout.classify(upload.key())) {
            case SINGLE_FILE:
                return ingestSingleFile(upload);
            case FOLDER_FILE:
                return IngestResult.ignored(upload.key(), "part of a folder upload; waiting for its model.json");
            case FOLDER_MANIFEST:
                return IngestResult.ignored(upload.key(), "folder uploads are not supported yet");
            default:
                return IngestResult.ignored(upload.key(), "not under " + UploadLayout.INCOMING);
        }
    }

    private IngestResult ingestSingleFile(UploadedObject upload) {
        String jobId = jobIdFor(upload);
        ModelSpec spec = ModelSpec.titled(UploadLayout.baseName(upload.key()));
        List<String> problems = checkSingleFile(upload);
        List<String> keys = List.of(upload.key());
        Job job = problems.isEmpty()
                ? Job.queued(jobId, upload.bucket(), keys,
                        List.of(new Sample(upload.key(), upload.versionId(), upload.sizeBytes(), null)), spec,
                        List.of(), clock.instant())
                : Job.rejected(jobId, upload.bucket(), keys, spec, problems, List.of(), clock.instant());
        return submit(job);
    }

    private List<String> checkSingleFile(UploadedObject upload) {
        List<String> problems = new ArrayList<>();
        String name = UploadLayout.fileName(upload.key());
        if (!UploadLayout.looksLikeAudio(upload.key())) {
            problems.add(name + ": not an audio file name (expected one of " + UploadLayout.AUDIO_EXTENSIONS + ")");
        }
        if (upload.sizeBytes() == 0) {
            problems.add(name + ": the file is empty (0 bytes)");
        } else if (upload.sizeBytes() > limits.maxSampleBytes()) {
            problems.add(name + ": " + upload.sizeBytes() + " bytes is over the limit of " + limits.maxSampleBytes());
        }
        return problems;
    }

    /**
     * Stores the job and, if it is runnable, hands it to the queue. A duplicate whose first delivery died between
     * the write and the send (no {@code enqueuedAt}) is sent now, so no upload is ever stranded.
     */
    private IngestResult submit(Job job) {
        boolean created = jobs.createIfAbsent(job);
        Job stored = created ? job : jobs.find(job.jobId()).orElse(job);
        if (stored.status() == JobStatus.REJECTED) {
            if (created) {
                metrics.count("UploadsRejected");
                reporter.report(stored);
            }
            return new IngestResult(firstKey(job), job.jobId(), JobStatus.REJECTED, !created, stored.error().message());
        }
        if (!created && stored.enqueuedAt() != null) {
            metrics.count("DuplicatesAvoided");
            return new IngestResult(firstKey(job), job.jobId(), stored.status(), true, "already enqueued");
        }
        queue.enqueue(job.jobId(), Duration.ZERO);
        Optional<Job> marked = markEnqueued(stored.jobId());
        if (created) {
            metrics.count("UploadsAccepted");
        }
        reporter.report(marked.orElse(stored));
        return new IngestResult(firstKey(job), job.jobId(), JobStatus.QUEUED, !created, "queued");
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

    private static String firstKey(Job job) {
        return job.sourceKeys().isEmpty() ? "" : job.sourceKeys().get(0);
    }
}
