package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
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
 * the call tags the model with the job's marker. Any later run that sees {@code createStarted} first asks upstream
 * (free) for a model carrying that marker and adopts it instead of creating again.
 */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

    private final JobStore jobs;
    private final ModelCatalog catalog;
    private final FishApi fish;
    private final SampleUrlSigner signer;
    private final JobQueue queue;
    private final UpstreamPause pause;
    private final StatusReporter reporter;
    private final Metrics metrics;
    private final RetryPolicy retry;
    private final RunnerSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public JobRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, SampleUrlSigner signer, JobQueue queue,
                     UpstreamPause pause, StatusReporter reporter, Metrics metrics, RetryPolicy retry,
                     RunnerSettings settings, Clock clock, Sleeper sleeper) {
        this.jobs = jobs;
        this.catalog = catalog;
        this.fish = fish;
        this.signer = signer;
        this.queue = queue;
        this.pause = pause;
        this.reporter = reporter;
        this.metrics = metrics;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    static final String MARKER_PREFIX = "vd-job-";

    /** The marker tag a job's model carries upstream. Short, stable, and unique per job. */
    public static String markerTag(String jobId) {
        return MARKER_PREFIX + jobId;
    }

    /** The catalog entry of a job's model; the marker tag is VoiceDrop's bookkeeping, not the user's tag. */
    private static CatalogEntry entryFor(Job job, ModelEntity model) {
        List<String> userTags = model.tags().stream().filter(t -> !t.startsWith(MARKER_PREFIX)).toList();
        return new CatalogEntry(model.withTags(userTags), job.jobId(), job.sourceKeys(), job.spec().language());
    }

    /**
     * Runs the job as far as it can go before {@code deadline}.
     */
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
        if (job.status() == JobStatus.RUNNING && job.leaseUntil() != null && job.leaseUntil().isAfter(now)) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.retryLater(Duration.between(now, job.leaseUntil()), "another worker holds the job");
        }
        Optional<WorkOutcome> paused = waitIfPaused(jobId, now);
        if (paused.isPresent()) {
            return paused.get();
        }
        try {
            job = jobs.update(job.claimed(deadline, now));
        } catch (JobChangedConcurrently raced) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.retryLater(settings.callAllowance(), "another worker claimed the job first");
        }
        return job.modelId() != null ? followTraining(job, deadline) : createModel(job, deadline);
    }

    private Optional<WorkOutcome> waitIfPaused(String jobId, Instant now) {
        Optional<UpstreamPause.State> state = pause.current();
        if (state.isEmpty() || !state.get().nextProbeAt().isAfter(now)) {
            return Optional.empty(); // not paused, or this job is the probe
        }
        // A new message instead of a longer invisibility: a pause may last hours and must not use up receives.
        Duration wait = Duration.between(now, state.get().nextProbeAt());
        queue.enqueue(jobId, wait);
        return Optional.of(WorkOutcome.done("upstream paused: " + state.get().code()));
    }

    private WorkOutcome createModel(Job job, Instant deadline) {
        while (true) {
            Job afterCall;
            try {
                afterCall = attemptCreate(job);
            } catch (JobChangedConcurrently raced) {
                return WorkOutcome.retryLater(settings.callAllowance(), "job changed while running");
            }
            if (afterCall.status() != JobStatus.RETRY_WAIT || isPaused(afterCall)) {
                return finish(afterCall, deadline);
            }
            Duration delay = Duration.between(clock.instant(), afterCall.nextAttemptAt());
            if (clock.instant().plus(delay).plus(settings.callAllowance()).isAfter(deadline)) {
                return WorkOutcome.retryLater(delay, "backing off: " + afterCall.error().code());
            }
            metrics.count("Retries");
            sleeper.sleep(delay);
            job = jobs.update(afterCall.claimed(deadline, clock.instant()));
        }
    }

    private static boolean isPaused(Job job) {
        return !job.history().isEmpty() && "paused".equals(job.history().get(job.history().size() - 1).outcome());
    }

    /** One attempt: adopt a model a previous attempt created, or create one. Returns the job as stored after it. */
    private Job attemptCreate(Job job) {
        String marker = markerTag(job.jobId());
        Instant started = clock.instant();
        try {
            if (job.createStarted()) {
                Optional<ModelEntity> existing = fish.findOwnByTag(marker);
                if (existing.isPresent()) {
                    metrics.count("DuplicatesAvoided");
                    return recordSuccess(job, existing.get(), "find", "adopted", started);
                }
            }
            job = jobs.update(job.withCreateStarted());
            ModelEntity created = fish.create(callFor(job, marker));
            metrics.timeMillis("UpstreamLatency", Duration.between(started, clock.instant()).toMillis());
            return recordSuccess(job, created, "create", "created", started);
        } catch (UpstreamError e) {
            return recordFailure(job, e, started);
        }
    }

    private CreateModelCall callFor(Job job, String marker) {
        Duration expiry = settings.urlExpiry();
        List<String> urls = job.samples().stream()
                .map(s -> signer.sign(job.bucket(), s.key(), s.versionId(), expiry).url())
                .toList();
        boolean allTexts = !job.samples().isEmpty() && job.samples().stream().allMatch(s -> s.text() != null);
        List<String> texts = allTexts ? job.samples().stream().map(Sample::text).toList() : List.of();
        return new CreateModelCall(job.spec(), urls, texts, marker);
    }

    private Job recordSuccess(Job job, ModelEntity model, String operation, String outcome, Instant started) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Job withAttempt = job.withAttempt(new Attempt(started, operation, outcome, 200, null, null, latency, null),
                "create".equals(operation));
        // The catalog first: if we die between the two writes, the retry adopts the model and writes both again.
        catalog.save(entryFor(job, model));
        pause.current().ifPresent(p -> pause.resume());
        JobStatus next = model.isFinal() ? statusFor(model) : JobStatus.TRAINING;
        Job done = withAttempt.withModel(model.id(), next, clock.instant());
        if (next == JobStatus.FAILED) {
            done = done.failed(JobError.of("training_failed", "upstream reports the model failed"), clock.instant());
        }
        return jobs.update(done);
    }

    private Job recordFailure(Job job, UpstreamError e, Instant started) {
        long latency = Duration.between(started, clock.instant()).toMillis();
        Instant now = clock.instant();
        JobError error = new JobError(e.code(), e.getMessage(), e.status(), e.traceId());
        String outcome = e.isRetryable() ? "retry" : e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED ? "paused" : "failed";
        boolean blocked = e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED;
        // A blocked deployment is not the job's fault, so that attempt does not use up one of the job's tries.
        Job withAttempt = job.withAttempt(new Attempt(started, "create", outcome, e.status(), e.code(),
                e.getMessage(), latency, e.traceId()), !blocked);
        if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            metrics.count("Upstream429");
        }
        LOG.warn("upstream call failed: status={} code={} kind={} trace_id={}", e.status(), e.code(), e.kind(), e.traceId());
        switch (e.kind()) {
            case REQUEST_REJECTED:
                return jobs.update(withAttempt.failed(error, now));
            case DEPLOYMENT_BLOCKED:
                Instant probeAt = now.plus(settings.pauseProbeEvery());
                pause.pause(e.code(), e.getMessage(), probeAt);
                metrics.count("UpstreamPaused");
                return jobs.update(withAttempt.waitingForRetry(error, probeAt, now));
            default:
                if (!retry.allowsAnotherAttempt(withAttempt.attempts())) {
                    return jobs.update(withAttempt.failed(error, now));
                }
                Duration delay = retry.delayAfter(withAttempt.attempts(), e.retryAfter());
                return jobs.update(withAttempt.waitingForRetry(error, now.plus(delay), now));
        }
    }

    private static JobStatus statusFor(ModelEntity model) {
        return model.isTrained() ? JobStatus.SUCCEEDED : JobStatus.FAILED;
    }

    /** Checks a model that is still training; free calls, scheduled by message delay so no Lambda waits idle. */
    private WorkOutcome followTraining(Job job, Instant deadline) {
        Instant now = clock.instant();
        try {
            ModelEntity model = fish.get(job.modelId());
            catalog.save(entryFor(job, model));
            if (model.isFinal()) {
                return finish(recordSuccess(job, model, "poll", model.state(), now), deadline);
            }
        } catch (UpstreamError e) {
            LOG.warn("polling model failed: status={} code={} trace_id={}", e.status(), e.code(), e.traceId());
        }
        if (now.isAfter(job.createdAt().plus(settings.trainingTimeout()))) {
            return finish(jobs.update(job.failed(JobError.of("training_timeout",
                    "model still training after " + settings.trainingTimeout()), now)), deadline);
        }
        Job waiting = jobs.update(job.withStatus(JobStatus.TRAINING, now));
        reporter.report(waiting);
        queue.enqueue(job.jobId(), settings.trainingPollEvery());
        return WorkOutcome.done("model still training");
    }

    private WorkOutcome finish(Job job, Instant deadline) {
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
                if (pause.current().isPresent()) {
                    queue.enqueue(job.jobId(), wait);
                    return WorkOutcome.done("upstream paused: " + job.error().code());
                }
                return WorkOutcome.retryLater(wait, "backing off");
            default:
                return WorkOutcome.done("job " + job.status());
        }
    }
}
