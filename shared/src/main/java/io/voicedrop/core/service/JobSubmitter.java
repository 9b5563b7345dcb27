package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Hands a new job to the pipeline: stores it (once: the store refuses a second job with the same id) and, if it is
 * runnable, sends it to the worker queue and marks it enqueued. This is the one way into the pipeline, for the S3
 * drop (ingest) and for {@code POST /fish/model} (the API) alike.
 *
 * <p>Safe to call again with the same job (a redelivered S3 event, a retried HTTP request): a duplicate whose first
 * submission died between the write and the send (no {@code enqueuedAt}) is sent now, so no job is ever stranded;
 * one that was already sent is left alone. Counts {@code UploadsAccepted}, {@code UploadsRejected} and
 * {@code DuplicatesAvoided}.
 */
public final class JobSubmitter {

    private final JobStore jobs;
    private final JobQueue queue;
    private final StatusReporter reporter;
    private final Metrics metrics;
    private final Clock clock;

    public JobSubmitter(JobStore jobs, JobQueue queue, StatusReporter reporter, Metrics metrics, Clock clock) {
        this.jobs = jobs;
        this.queue = queue;
        this.reporter = reporter;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * What happened to a submitted job.
     *
     * @param job       the job as stored now
     * @param created   true when this call stored it
     * @param duplicate true when a job with this id existed already
     * @param sent      true when this call handed the job to the queue
     */
    public record Submission(Job job, boolean created, boolean duplicate, boolean sent) {
    }

    /**
     * The queue message becomes visible only after {@code enqueuedAt} is recorded: a worker claiming the job in
     * between would lose its compare-and-set and put the job off by a whole call allowance.
     */
    static final Duration HAND_OVER_DELAY = Duration.ofSeconds(1);

    /** Stores a new job (unless one with its id exists) and hands it over. */
    public Submission submit(Job job) {
        boolean created = jobs.createIfAbsent(job);
        Job stored = created ? job : jobs.find(job.jobId()).orElse(job);
        return handOver(stored, created);
    }

    /** Hands over a job found already stored (a repeated delivery): sends it only if it was never sent. */
    public Submission resubmit(Job stored) {
        return handOver(stored, false);
    }

    private Submission handOver(Job stored, boolean created) {
        if (!runnable(stored)) {
            if (created) {
                metrics.count("UploadsRejected");
                reporter.report(stored);
            }
            return new Submission(stored, created, !created, false);
        }
        if (!created && stored.enqueuedAt() != null) {
            metrics.count("DuplicatesAvoided");
            return new Submission(stored, false, true, false);
        }
        queue.enqueue(stored.jobId(), HAND_OVER_DELAY);
        Optional<Job> marked = markEnqueued(stored.jobId());
        if (created) {
            metrics.count("UploadsAccepted");
        }
        Job now = marked.orElse(stored);
        reporter.report(now);
        return new Submission(now, created, !created, true);
    }

    /** Only a job with samples that was not rejected is ever enqueued: nothing else can be billed. */
    static boolean runnable(Job job) {
        return job.status() != JobStatus.REJECTED && !job.samples().isEmpty();
    }

    private Optional<Job> markEnqueued(String jobId) {
        // The worker may already have moved the job on; losing this race is harmless, the flag only guards re-sends.
        try {
            Job current = jobs.find(jobId).orElseThrow();
            if (current.enqueuedAt() != null) {
                return Optional.of(current);
            }
            return Optional.of(jobs.update(current.enqueued(clock.instant())));
        } catch (JobStore.JobChangedConcurrently raced) {
            return jobs.find(jobId);
        }
    }
}
