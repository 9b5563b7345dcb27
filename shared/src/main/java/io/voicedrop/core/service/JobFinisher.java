package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import java.time.Clock;
import java.time.Duration;

/**
 * Ends a run: reports the job's state (status file, events) and decides what becomes of its message: acknowledged,
 * handed back for a backoff, or replaced by a delayed one (the next training check, the end of a pause).
 */
public final class JobFinisher {

    private final StatusReporter reporter;
    private final JobQueue queue;
    private final Metrics metrics;
    private final RunnerSettings settings;
    private final Clock clock;

    public JobFinisher(StatusReporter reporter, JobQueue queue, Metrics metrics, RunnerSettings settings, Clock clock) {
        this.reporter = reporter;
        this.queue = queue;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    WorkOutcome finish(Job job) {
        reporter.report(job);
        switch (job.status()) {
            case SUCCEEDED:
                metrics.count("JobsSucceeded");
                return WorkOutcome.done("model " + job.modelId() + " trained");
            case FAILED:
                metrics.count("JobsFailed");
                return WorkOutcome.done("failed: " + job.error().code());
            case TRAINING:
                queue.enqueue(job.jobId(), settings.trainingPollEvery());
                return WorkOutcome.done("model training; next check scheduled");
            case RETRY_WAIT:
                Duration wait = Duration.between(clock.instant(), job.nextAttemptAt());
                if (lastOutcome(job).equals(Attempt.PAUSED)) {
                    queue.enqueue(job.jobId(), wait);
                    return WorkOutcome.done("upstream paused: " + job.error().code());
                }
                return WorkOutcome.retryLater(wait, "backing off");
            default:
                return WorkOutcome.done("job " + job.status());
        }
    }

    static String lastOutcome(Job job) {
        return job.history().isEmpty() ? "" : job.history().get(job.history().size() - 1).outcome();
    }
}
