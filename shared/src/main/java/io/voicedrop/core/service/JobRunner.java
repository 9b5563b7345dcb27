package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.CreateModelCall;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.JobStore.JobChangedConcurrently;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one delivery of a job message into progress on that job, creating at most one model upstream per job.
 *
 * <p>How a model is never created twice: the job is claimed with a compare-and-set and a lease, so two deliveries
 * never call upstream at the same time; {@code createStarted} is written <em>before</em> the billable call, and
 * the call tags the model with the job's marker. Any later attempt that sees {@code createStarted} first asks
 * upstream (free) for a model carrying that marker and adopts it instead of creating again.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    static final String MARKER_PREFIX = "vd-job-";
    /**
     * How long after its slot a send may still go out. Half a second's sends at most are late, well inside the
     * one-second burst a per-second limit admits; a later one takes a fresh slot.
     */
    static final Duration LATE_SEND = Duration.ofMillis(500);

    private final JobStore jobs;
    private final ModelCatalog catalog;
    private final FishApi fish;
    private final SampleUrlSigner signer;
    private final JobQueue queue;
    private final PauseGate pauseGate;
    private final UpstreamThrottle throttle;
    private final StatusReporter reporter;
    private final Metrics metrics;
    private final RetryPolicy retry;
    private final RunnerSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final DeletionRunner deletions;
    private PreviewMaker previews;

    /** A runner of create jobs only: a deletion job it is handed goes back to the queue for a runner that has both. */
    public JobRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, SampleUrlSigner signer, JobQueue queue,
                     UpstreamPause pause, UpstreamThrottle throttle, StatusReporter reporter, Metrics metrics,
                     RetryPolicy retry, RunnerSettings settings, Clock clock, Sleeper sleeper) {
        this(jobs, catalog, fish, signer, queue, pause, throttle, reporter, metrics, retry, settings, clock, sleeper,
                null);
    }

    /** The worker's runner: create jobs here, deletion jobs ({@link Job#isDeletion()}) by {@code deletions}. */
    public JobRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, SampleUrlSigner signer, JobQueue queue,
                     UpstreamPause pause, UpstreamThrottle throttle, StatusReporter reporter, Metrics metrics,
                     RetryPolicy retry, RunnerSettings settings, Clock clock, Sleeper sleeper,
                     DeletionRunner deletions) {
        this.deletions = deletions;
        this.jobs = jobs;
        this.catalog = catalog;
        this.fish = fish;
        this.signer = signer;
        this.queue = queue;
        this.pauseGate = new PauseGate(pause, queue, settings.pauseProbeEvery(), clock);
        this.throttle = throttle;
        this.reporter = reporter;
        this.metrics = metrics;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Makes a spoken preview of each new voice whose job asks for one (see {@link PreviewMaker}). */
    public JobRunner withPreviews(PreviewMaker maker) {
        this.previews = maker;
        return this;
    }

    /** The marker tag a job's model carries upstream. Short, stable, and unique per job. */
    public static String markerTag(String jobId) {
        return MARKER_PREFIX + jobId;
    }

    /** Runs the job as far as it can go before {@code deadline}. */
    public WorkOutcome run(String jobId, Instant deadline) {
        Optional<Job> found = jobs.find(jobId);
        if (found.isEmpty()) {
            return WorkOutcome.deadLetter("no job with id " + jobId);
        }
        Job job = found.get();
        Instant now = clock.instant();
        if (job.status().isTerminal()) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.done("job already " + job.status());
        }
        if (job.isDeletion()) {
            // Never the create path: a deletion job must not reach a billable call.
            return deletions != null ? deletions.run(job, deadline)
                    : WorkOutcome.retryLater(settings.callAllowance(), "this runner does not run deletion jobs");
        }
        if (job.status() == JobStatus.RUNNING && job.leaseUntil() != null && job.leaseUntil().isAfter(now)) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.retryLater(Duration.between(now, job.leaseUntil()), "another worker holds the job");
        }
        if (job.nextAttemptAt() != null && job.nextAttemptAt().isAfter(now.plusSeconds(1))) {
            // An early copy of the message (SQS delays cap at 15 minutes): wait for the job's own schedule.
            return WorkOutcome.retryLater(Duration.between(now, job.nextAttemptAt()), "not due yet");
        }
        Optional<WorkOutcome> held = pauseGate.holdBack(jobId);
        if (held.isPresent()) {
            return held.get();
        }
        boolean creating = job.modelId() == null;
        boolean mayExistUpstream = job.createStarted();
        try {
            // Claim and mark in one write: createStarted goes down before the billable call, never after it.
            Job claim = job.claimed(deadline, clock.instant());
            job = jobs.update(creating ? claim.withCreateStarted() : claim);
        } catch (JobChangedConcurrently raced) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.retryLater(settings.callAllowance(), "another worker claimed the job first");
        }
        try {
            return creating ? createModel(job, mayExistUpstream, deadline) : followTraining(job, deadline);
        } catch (RuntimeException unexpected) {
            releaseLease(job.jobId());
            throw unexpected;
        }
    }

    /**
     * Sleeps until {@code slot}; empty once the send may go. A slot beyond this invocation is not waited for: the job
     * is stored as waiting for the fleet's rate budget (its message comes back when the slot is due).
     */
    private Optional<Job> awaitSlot(Job job, Instant slot, Instant deadline) {
        Instant now = clock.instant();
        if (!slot.isAfter(now)) {
            return Optional.empty();
        }
        if (slot.plus(settings.callAllowance()).isAfter(deadline)) {
            return Optional.of(jobs.update(job.withAttempt(new Attempt(now, "create", Attempt.THROTTLED, null,
                    "rate_budget", "waiting for the deployment's upstream rate budget", 0, null), false)
                    .waitingForRetry(job.error(), slot, now)));
        }
        sleeper.sleep(Duration.between(now, slot));
        return Optional.empty();
    }

    /** After an unexpected failure (e.g. DynamoDB throttling) let the redelivery run the job without waiting out the lease. */
    private void releaseLease(String jobId) {
        try {
            jobs.find(jobId).filter(j -> j.status() == JobStatus.RUNNING)
                    .ifPresent(j -> jobs.update(j.withStatus(JobStatus.QUEUED, clock.instant())));
        } catch (RuntimeException e) {
            LOG.warn("could not release the lease; the job resumes when it expires: {}", e.toString());
        }
    }

    /**
     * @param lookFirst whether an earlier run may have sent a create (then upstream is asked for its model first)
     */
    private WorkOutcome createModel(Job job, boolean lookFirst, Instant deadline) {
        while (true) {
            Job after;
            try {
                after = attempt(job, lookFirst, deadline);
            } catch (JobChangedConcurrently raced) {
                return WorkOutcome.retryLater(settings.callAllowance(), "job changed while running");
            }
            if (after.status() != JobStatus.RETRY_WAIT || lastOutcome(after).equals(Attempt.PAUSED)
                    || lastOutcome(after).equals(Attempt.THROTTLED)) {
                return finish(after);
            }
            Duration delay = Duration.between(clock.instant(), after.nextAttemptAt());
            if (clock.instant().plus(delay).plus(settings.callAllowance()).isAfter(deadline)) {
                metrics.count("Retries");
                return finish(after);
            }
            metrics.count("Retries");
            sleeper.sleep(delay);
            job = jobs.update(after.claimed(deadline, clock.instant()));
            lookFirst = true;
        }
    }

    private static String lastOutcome(Job job) {
        return job.history().isEmpty() ? "" : job.history().get(job.history().size() - 1).outcome();
    }

    /**
     * One attempt: wait for a send slot, adopt a model a previous attempt created, or create one.
     *
     * <p>The slot is reserved here, after the claim and right before the call, so that nothing with a latency of
     * its own (the claim's write) lies between the slot and the send: sends keep the budget's spacing however slow
     * the job store is, instead of bunching into 429s. A slot beyond this invocation is recorded as a throttled
     * attempt (the lease ends with it) and the message comes back when the slot is due.
     */
    private Job attempt(Job job, boolean lookFirst, Instant deadline) {
        Instant slot = throttle.reserve();
        Optional<Job> deferred = awaitSlot(job, slot, deadline);
        if (deferred.isEmpty() && Duration.between(slot, clock.instant()).compareTo(LATE_SEND) > 0) {
            // The slot passed long ago (its answer queued in a slow store, or this process stalled): workers late
            // together would send together, so this one takes a fresh slot instead, once.
            deferred = awaitSlot(job, throttle.reserve(), deadline);
        }
        if (deferred.isPresent()) {
            return deferred.get();
        }
        String marker = markerTag(job.jobId());
        Instant started = clock.instant();
        try {
            if (lookFirst) {
                Optional<ModelEntity> existing = fish.findOwnByTag(marker);
                if (existing.isPresent()) {
                    metrics.count("DuplicatesAvoided");
                    return recordSuccess(job, existing.get(), "find", Attempt.ADOPTED, started, deadline);
                }
            }
            if (!job.createStarted()) {
                job = jobs.update(job.withCreateStarted());
            }
            ModelEntity created = fish.create(callFor(job, marker));
            metrics.timeMillis("UpstreamLatency", Duration.between(started, clock.instant()).toMillis());
            return recordSuccess(job, created, "create", Attempt.CREATED, started, deadline);
        } catch (UpstreamError e) {
            return recordFailure(job, e, started);
        }
    }

    private CreateModelCall callFor(Job job, String marker) {
        // Signed now, right before the call: URLs live only as long as upstream needs them and are never stored.
        List<String> urls = job.samples().stream()
                .map(s -> signer.sign(job.bucket(), s.key(), s.versionId(), settings.urlExpiry()).url())
                .toList();
        boolean allTexts = !job.samples().isEmpty() && job.samples().stream().allMatch(s -> s.text() != null);
        List<String> texts = allTexts ? job.samples().stream().map(Sample::text).toList() : List.of();
        ModelSpec spec = job.spec().storedCoverKey(job.bucket())
                .map(key -> job.spec().withCoverImage(signer.sign(job.bucket(), key, null, settings.urlExpiry()).url()))
                .orElse(job.spec());
        return new CreateModelCall(spec, urls, texts, marker);
    }

    /** The catalog entry of a job's model: no marker tag (VoiceDrop's bookkeeping) and no presigned URL. */
    static CatalogEntry entryFor(Job job, ModelEntity model) {
        return new CatalogEntry(userView(model), job.jobId(), job.sourceKeys(), job.spec().language());
    }

    /** A model as VoiceDrop stores and shows it: without its marker tag and without any presigned URL. */
    public static ModelEntity userView(ModelEntity model) {
        List<String> userTags = model.tags().stream().filter(t -> !t.startsWith(MARKER_PREFIX)).toList();
        return model.withTags(userTags).withoutSignedUrls();
    }

    private Job recordSuccess(Job job, ModelEntity model, String operation, String outcome, Instant started,
                              Instant deadline) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Job withAttempt = job.withAttempt(new Attempt(started, operation, outcome, 200, null, null, latency, null),
                "create".equals(operation));
        // The catalog first: if we die between the two writes, the retry adopts the model and writes both again.
        if (Attempt.CREATED.equals(outcome)) {
            catalog.saveNew(entryFor(job, model)); // an id upstream just made: no previous entry to read
        } else {
            catalog.save(entryFor(job, model));
        }
        throttle.succeeded();
        pauseGate.upstreamWorks();
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

    private Job recordFailure(Job job, UpstreamError e, Instant started) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Instant now = clock.instant();
        JobError error = new JobError(e.code(), e.getMessage(), e.status(), e.traceId());
        boolean blocked = e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED;
        String outcome = blocked ? Attempt.PAUSED : e.isRetryable() ? Attempt.RETRY : Attempt.FAILED;
        // A blocked deployment is not the job's fault, so that attempt does not use up one of the job's tries.
        Job withAttempt = job.withAttempt(new Attempt(started, "create", outcome, e.status(), e.code(),
                e.getMessage(), latency, e.traceId()), !blocked);
        logFailure(e);
        if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            metrics.count("Upstream429");
            throttle.rateLimited(e.retryAfter());
        }
        if (blocked) {
            pauseGate.pause(e.code(), e.getMessage());
            metrics.count("UpstreamPaused");
            return jobs.update(withAttempt.waitingForRetry(error, pauseGate.nextProbe(), now));
        }
        if (!e.isRetryable() || !retry.allowsAnotherAttempt(withAttempt.attempts())) {
            return jobs.update(withAttempt.failed(error, now));
        }
        Duration delay = retry.delayAfter(withAttempt.attempts(), e.retryAfter());
        return jobs.update(withAttempt.waitingForRetry(error, now.plus(delay), now));
    }

    /**
     * Levels by who must act: a refused token or balance stops every job until an operator fixes it (ERROR); a 429
     * is the fleet finding upstream's rate, handled by slowing down (INFO); anything else fails or retries this job
     * alone (WARN).
     */
    private static void logFailure(UpstreamError e) {
        if (e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED) {
            LOG.error("upstream refuses this deployment (status={} code={}): jobs wait until the token or balance is "
                    + "fixed; see scripts/voicedrop-ops.sh status. upstream_trace_id={}", e.status(), e.code(), e.traceId());
        } else if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            LOG.info("upstream rate limit reached (status={}); the fleet slows down. upstream_trace_id={}", e.status(),
                    e.traceId());
        } else {
            LOG.warn("upstream call failed: status={} code={} kind={} upstream_trace_id={}", e.status(), e.code(),
                    e.kind(), e.traceId());
        }
    }

    /** Checks a model that is still training; free calls, scheduled by message delay so no Lambda waits idle. */
    private WorkOutcome followTraining(Job job, Instant deadline) {
        Instant now = clock.instant();
        try {
            ModelEntity model = fish.get(job.modelId());
            catalog.save(entryFor(job, model));
            if (model.isFinal()) {
                return finish(recordSuccess(job, model, "poll", model.state(), now, deadline));
            }
        } catch (UpstreamError e) {
            LOG.warn("polling the model failed: status={} code={} upstream_trace_id={}", e.status(), e.code(), e.traceId());
        }
        if (now.isAfter(job.createdAt().plus(settings.trainingTimeout()))) {
            return finish(jobs.update(job.failed(JobError.of("training_timeout",
                    "model still training after " + settings.trainingTimeout()), now)));
        }
        return finish(jobs.update(job.withStatus(JobStatus.TRAINING, now)));
    }

    private WorkOutcome finish(Job job) {
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
}
