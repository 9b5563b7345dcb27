package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore.JobChangedConcurrently;
import io.voicedrop.core.port.Metrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Gets a claimed job its model within this invocation: attempts at the billable call, each recorded, with a
 * backoff slept in place while it ends before the deadline (a longer one is left to the message's redelivery).
 */
public final class ModelCreation {

    private final BillableCreate create;
    private final AttemptRecorder recorder;
    private final JobClaims claims;
    private final Metrics metrics;
    private final RunnerSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public ModelCreation(BillableCreate create, AttemptRecorder recorder, JobClaims claims, Metrics metrics,
                         RunnerSettings settings, Clock clock, Sleeper sleeper) {
        this.create = create;
        this.recorder = recorder;
        this.claims = claims;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * The job as its last attempt left it; empty when the job was changed meanwhile by someone else.
     *
     * @param lookFirst whether an earlier run may have sent a create (then upstream is asked for its model first)
     */
    Optional<Job> run(Job job, boolean lookFirst, Instant deadline) {
        while (true) {
            Job after;
            try {
                after = recorder.record(job, create.attempt(job, lookFirst, deadline), deadline);
            } catch (JobChangedConcurrently raced) {
                return Optional.empty();
            }
            String last = JobFinisher.lastOutcome(after);
            if (after.status() != JobStatus.RETRY_WAIT || last.equals(Attempt.PAUSED) || last.equals(Attempt.THROTTLED)) {
                return Optional.of(after);
            }
            metrics.count("Retries");
            Duration delay = Duration.between(clock.instant(), after.nextAttemptAt());
            if (clock.instant().plus(delay).plus(settings.callAllowance()).isAfter(deadline)) {
                return Optional.of(after);
            }
            sleeper.sleep(delay);
            job = claims.reclaim(after, deadline);
            lookFirst = true;
        }
    }
}
