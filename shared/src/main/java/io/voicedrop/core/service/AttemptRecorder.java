package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Stores what an attempt gave as the job's next state: the model (catalog first, then the job), a backoff, a
 * failure, a pause, or a wait for the rate budget.
 */
public final class AttemptRecorder {

    private final JobStore jobs;
    private final ModelCatalog catalog;
    private final UpstreamFeedback upstream;
    private final RetryPolicy retry;
    private final Clock clock;
    private PreviewMaker previews;

    public AttemptRecorder(JobStore jobs, ModelCatalog catalog, UpstreamFeedback upstream, RetryPolicy retry,
                           Clock clock) {
        this.jobs = jobs;
        this.catalog = catalog;
        this.upstream = upstream;
        this.retry = retry;
        this.clock = clock;
    }

    /** Makes a spoken preview of each new voice whose job asks for one (see {@link PreviewMaker}). */
    public AttemptRecorder withPreviews(PreviewMaker maker) {
        this.previews = maker;
        return this;
    }

    Job record(Job job, BillableCreate.Result result, Instant deadline) {
        if (result instanceof BillableCreate.Answered a) {
            return succeeded(job, a.model(), a.operation(), a.outcome(), a.started(), deadline);
        }
        if (result instanceof BillableCreate.Failed f) {
            return failed(job, f.error(), f.started());
        }
        return throttled(job, ((BillableCreate.Deferred) result).slot());
    }

    /** A slot beyond this invocation: recorded as a throttled attempt (the lease ends with it) until the slot is due. */
    private Job throttled(Job job, Instant slot) {
        Instant now = clock.instant();
        return jobs.update(job.withAttempt(new Attempt(now, "create", Attempt.THROTTLED, null, "rate_budget",
                "waiting for the deployment's upstream rate budget", 0, null), false).waitingForRetry(job.error(), slot, now));
    }

    Job succeeded(Job job, ModelEntity model, String operation, String outcome, Instant started, Instant deadline) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Job withAttempt = job.withAttempt(new Attempt(started, operation, outcome, 200, null, null, latency, null),
                "create".equals(operation));
        // The catalog first: if we die between the two writes, the retry adopts the model and writes both again.
        if (Attempt.CREATED.equals(outcome)) {
            catalog.saveNew(JobRunner.entryFor(job, model)); // an id upstream just made: no previous entry to read
        } else {
            catalog.save(JobRunner.entryFor(job, model));
        }
        upstream.worked();
        JobStatus next = !model.isFinal() ? JobStatus.TRAINING : model.isTrained() ? JobStatus.SUCCEEDED : JobStatus.FAILED;
        Job done = withAttempt.withModel(model.id(), next, clock.instant());
        if (next == JobStatus.FAILED) {
            done = done.failed(JobError.of("training_failed", "upstream reports the model failed"), clock.instant());
        }
        if (next == JobStatus.SUCCEEDED && previews != null && previews.wanted(withAttempt)) {
            done = spokenPreview(withAttempt, model.id(), deadline);
        }
        return jobs.update(done);
    }

    /**
     * The preview comes before SUCCEEDED, so that the job's end (its event, its webhook) already links to it, and so
     * that a worker that dies meanwhile leaves a job that is run again (a SUCCEEDED job never is). Without time for
     * the call, the job waits as TRAINING and comes back through the training poll, which finds the model trained.
     */
    private Job spokenPreview(Job withAttempt, String modelId, Instant deadline) {
        Job held = jobs.update(withAttempt.withModelId(modelId));
        if (!previews.hasTimeFor(deadline)) {
            return held.withModel(modelId, JobStatus.TRAINING, clock.instant());
        }
        return previews.make(held, deadline).withModel(modelId, JobStatus.SUCCEEDED, clock.instant());
    }

    private Job failed(Job job, UpstreamError e, Instant started) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Instant now = clock.instant();
        JobError error = new JobError(e.code(), e.getMessage(), e.status(), e.traceId());
        boolean blocked = e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED;
        String outcome = blocked ? Attempt.PAUSED : e.isRetryable() ? Attempt.RETRY : Attempt.FAILED;
        // A blocked deployment is not the job's fault, so that attempt does not use up one of the job's tries.
        Job withAttempt = job.withAttempt(new Attempt(started, "create", outcome, e.status(), e.code(),
                e.getMessage(), latency, e.traceId()), !blocked);
        upstream.failed(e);
        if (blocked) {
            return jobs.update(withAttempt.waitingForRetry(error, upstream.nextProbe(), now));
        }
        if (!e.isRetryable() || !retry.allowsAnotherAttempt(withAttempt.attempts())) {
            return jobs.update(withAttempt.failed(error, now));
        }
        Duration delay = retry.delayAfter(withAttempt.attempts(), e.retryAfter());
        return jobs.update(withAttempt.waitingForRetry(error, now.plus(delay), now));
    }
}
