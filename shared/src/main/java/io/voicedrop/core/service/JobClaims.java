package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.JobStore.JobChangedConcurrently;
import io.voicedrop.core.port.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether this delivery may run the job, and takes it: one compare-and-set on the job's version sets the
 * lease (two deliveries never run a job at once) and, for a create, marks {@code createStarted} before any billable
 * call can be made.
 */
public final class JobClaims {

    private static final Logger LOG = LoggerFactory.getLogger(JobClaims.class);

    private final JobStore jobs;
    private final Metrics metrics;
    private final RunnerSettings settings;
    private final Clock clock;

    public JobClaims(JobStore jobs, Metrics metrics, RunnerSettings settings, Clock clock) {
        this.jobs = jobs;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    Optional<Job> find(String jobId) {
        return jobs.find(jobId);
    }

    /** The message's outcome when the job has ended already (a duplicate delivery). */
    Optional<WorkOutcome> alreadyFinished(Job job) {
        if (!job.status().isTerminal()) {
            return Optional.empty();
        }
        metrics.count("DuplicatesAvoided");
        return Optional.of(WorkOutcome.done("job already " + job.status()));
    }

    /** The message's outcome when another worker holds the job, or the job's own schedule lies ahead. */
    Optional<WorkOutcome> notNow(Job job) {
        Instant now = clock.instant();
        if (job.status() == JobStatus.RUNNING && job.leaseUntil() != null && job.leaseUntil().isAfter(now)) {
            metrics.count("DuplicatesAvoided");
            return Optional.of(WorkOutcome.retryLater(Duration.between(now, job.leaseUntil()),
                    "another worker holds the job"));
        }
        if (job.nextAttemptAt() != null && job.nextAttemptAt().isAfter(now.plusSeconds(1))) {
            // An early copy of the message (SQS delays cap at 15 minutes): wait for the job's own schedule.
            return Optional.of(WorkOutcome.retryLater(Duration.between(now, job.nextAttemptAt()), "not due yet"));
        }
        return Optional.empty();
    }

    /**
     * Claims the job until {@code deadline}; a job without a model is marked {@code createStarted} in the same write,
     * before the billable call, never after it. Empty when another delivery changed the job first.
     */
    Optional<Job> claim(Job job, Instant deadline) {
        Job claim = job.claimed(deadline, clock.instant());
        try {
            return Optional.of(jobs.update(job.modelId() == null ? claim.withCreateStarted() : claim));
        } catch (JobChangedConcurrently raced) {
            metrics.count("DuplicatesAvoided");
            return Optional.empty();
        }
    }

    /** Claims again for the next attempt within the same invocation (after a backoff slept in place). */
    Job reclaim(Job job, Instant deadline) {
        return jobs.update(job.claimed(deadline, clock.instant()));
    }

    /** The message back in a moment: the time one upstream call takes. */
    WorkOutcome handBack(String why) {
        return WorkOutcome.retryLater(settings.callAllowance(), why);
    }

    /** After an unexpected failure (e.g. DynamoDB throttling) let the redelivery run the job without waiting out the lease. */
    void release(String jobId) {
        try {
            jobs.find(jobId).filter(j -> j.status() == JobStatus.RUNNING)
                    .ifPresent(j -> jobs.update(j.withStatus(JobStatus.QUEUED, clock.instant())));
        } catch (RuntimeException e) {
            LOG.warn("could not release the lease; the job resumes when it expires: {}", e.toString());
        }
    }
}
