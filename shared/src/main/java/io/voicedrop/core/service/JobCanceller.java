package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.StatusReporter;
import java.time.Clock;
import java.util.Optional;

/**
 * Cancels a create job that has not started its billable call ({@code DELETE /jobs/{id}}).
 *
 * <p>Why this is safe: the worker records {@code createStarted} on the job with a compare-and-set <em>before</em>
 * every billable {@code POST /fish/model}. Cancelling is a compare-and-set too, so exactly one of the two wins: if
 * the cancel does, the worker's write fails and it never calls upstream (the job is {@code CANCELLED}, never
 * billed); if the worker's does, the cancel sees {@code createStarted} and refuses with the reason. A job past that
 * point will have its model; delete the model then ({@link ModelDeletion}).
 */
public final class JobCanceller {

    private static final int MAX_RACES = 5;

    private final JobStore jobs;
    private final JobVisibility visibility;
    private final StatusReporter reporter;
    private final Clock clock;

    /** @param reporter publishes the cancelled job (its status report; the retention of its samples) */
    public JobCanceller(JobStore jobs, JobVisibility visibility, StatusReporter reporter, Clock clock) {
        this.jobs = jobs;
        this.visibility = visibility;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** What a cancel request came to. */
    public sealed interface Result permits Cancelled, Refused, NotFound {
    }

    /** The job is (now, or already was) cancelled. */
    public record Cancelled(Job job) implements Result {
    }

    /** The job cannot be cancelled; {@code reason} says why and what to do instead. */
    public record Refused(Job job, String reason) implements Result {
    }

    /** No such job, or not the caller's. */
    public record NotFound() implements Result {
    }

    /** True while the job has not started a billable call and may still never make one. */
    public static boolean beforeBillableCall(Job job) {
        return !job.isDeletion() && !job.createStarted() && !job.status().isTerminal()
                && job.status() != JobStatus.TRAINING && job.modelId() == null;
    }

    public Result cancel(String jobId, String owner) {
        for (int race = 0; race < MAX_RACES; race++) {
            Optional<Job> found = jobs.find(jobId).filter(j -> visibility.canSee(j, owner));
            if (found.isEmpty()) {
                return new NotFound();
            }
            Job job = found.get();
            if (job.status() == JobStatus.CANCELLED) {
                return new Cancelled(job);
            }
            Optional<String> refusal = refusal(job);
            if (refusal.isPresent()) {
                return new Refused(job, refusal.get());
            }
            Optional<Job> cancelled = cancelIfNotStarted(job, "cancelled on request");
            if (cancelled.isPresent()) {
                return new Cancelled(cancelled.get());
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing while it was being cancelled");
    }

    /**
     * Cancels {@code job} if it is still before its billable call; empty when another writer changed it first
     * (read it again and decide again). The cancelled job is published (report, retention).
     */
    public Optional<Job> cancelIfNotStarted(Job job, String why) {
        if (!beforeBillableCall(job)) {
            return Optional.empty();
        }
        try {
            Job cancelled = jobs.update(job.cancelled(Attempt.note(clock.instant(), "cancel", Attempt.CANCELLED, why),
                    clock.instant()));
            reporter.report(cancelled);
            return Optional.of(cancelled);
        } catch (JobStore.JobChangedConcurrently raced) {
            return Optional.empty();
        }
    }

    private static Optional<String> refusal(Job job) {
        if (job.isDeletion()) {
            return Optional.of("This is a deletion job; a deletion cannot be cancelled.");
        }
        if (job.status().isTerminal()) {
            String then = job.modelId() == null ? "" : " Its model is " + job.modelId()
                    + "; remove it with DELETE /fish/model/" + job.modelId() + ".";
            return Optional.of("The job already ended (" + job.status() + ")." + then);
        }
        if (!beforeBillableCall(job)) {
            return Optional.of("The job is past its billable call: the model will be created (or already was)."
                    + " Delete it then with DELETE /fish/model/" + job.jobId() + ".");
        }
        return Optional.empty();
    }
}
