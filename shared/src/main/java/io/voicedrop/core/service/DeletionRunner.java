package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.JobStore.JobChangedConcurrently;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery of a deletion job ({@link ModelDeletion}): stops the voice's create job, deletes every model it
 * made upstream, then erases VoiceDrop's copies ({@link VoiceEraser}).
 *
 * <p><b>Crash safety.</b> The deletion job is claimed with a compare-and-set and a lease like a create job, and
 * each step is idempotent and derives what is left to do from the stores, not from a progress flag: an upstream
 * 404 means the model is already gone (a previous attempt deleted it), erasing erased data changes nothing, and a
 * tombstone is never written twice. The model id is recorded on the deletion job <em>before</em> the upstream
 * delete, so a worker killed right after upstream deleted a model it had found by its marker still knows, on the
 * redelivery, which catalog entry to erase. The message is acknowledged only once the job is {@code DELETED}
 * (or {@code FAILED}); any crash before that returns it to the queue.
 *
 * <p><b>Racing a create.</b> A create job that may still call upstream is waited for: while a worker holds its
 * lease (plus {@link #RUNNER_GRACE}, the time Lambda needs to stop an invocation whose deadline passed), the
 * deletion comes back every {@link #LOOKUP_EVERY} to look again. Then the create job is stopped ({@code CANCELLED}, compare-and-set, so no worker can
 * start another billable call for it), and every model carrying its marker tag is looked for upstream and deleted,
 * including one a lost create answer left behind. A create that started but whose model upstream does not list yet
 * is looked for {@value #MARKER_LOOKUPS} times, {@link #LOOKUP_EVERY} apart, before the deletion concludes there is
 * none (the same listing assumption the create path makes, see docs/architecture.md). Late catalog writes of the
 * create's worker are refused by the catalog once the model is erased.
 *
 * <p><b>Upstream.</b> Every call waits for a slot of the fleet's rate budget and honours the deployment pause;
 * 429, 5xx and timeouts back off with the one {@link RetryPolicy} until {@code MAX_ATTEMPTS}; an upstream that does
 * not offer {@code DELETE} (404 {@code no_api}, 405, {@code api_not_implemented}) fails the deletion at once with
 * that reason and nothing erased, so the model stays listed and can be deleted once the upstream offers it.
 */
public final class DeletionRunner {

    private static final Logger LOG = LoggerFactory.getLogger(DeletionRunner.class);
    /** After a create worker's lease ends, the time within which Lambda has stopped it (its safety margin, and more). */
    static final Duration RUNNER_GRACE = Duration.ofSeconds(30);
    static final int MARKER_LOOKUPS = 3;
    static final Duration LOOKUP_EVERY = Duration.ofSeconds(5);
    private static final int MAX_MODELS = 5;

    private final JobStore jobs;
    private final ModelCatalog catalog;
    private final FishApi fish;
    private final VoiceEraser eraser;
    private final PauseGate pauseGate;
    private final UpstreamThrottle throttle;
    private final Metrics metrics;
    private final RetryPolicy retry;
    private final RunnerSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public DeletionRunner(JobStore jobs, ModelCatalog catalog, FishApi fish, VoiceEraser eraser, JobQueue queue,
                          UpstreamPause pause, UpstreamThrottle throttle, Metrics metrics, RetryPolicy retry,
                          RunnerSettings settings, Clock clock, Sleeper sleeper) {
        this.jobs = jobs;
        this.catalog = catalog;
        this.fish = fish;
        this.eraser = eraser;
        this.pauseGate = new PauseGate(pause, queue, settings.pauseProbeEvery(), clock);
        this.throttle = throttle;
        this.metrics = metrics;
        this.retry = retry;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Runs the deletion job as far as it can go before {@code deadline}. */
    public WorkOutcome run(Job deletion, Instant deadline) {
        Instant now = clock.instant();
        if (deletion.status() != JobStatus.DELETING) {
            return WorkOutcome.done("deletion already " + deletion.status());
        }
        if (deletion.leaseUntil() != null && deletion.leaseUntil().isAfter(now)) {
            metrics.count("DuplicatesAvoided");
            return WorkOutcome.retryLater(Duration.between(now, deletion.leaseUntil()), "another worker holds it");
        }
        if (deletion.nextAttemptAt() != null && deletion.nextAttemptAt().isAfter(now.plusSeconds(1))) {
            return WorkOutcome.retryLater(Duration.between(now, deletion.nextAttemptAt()), "not due yet");
        }
        Optional<WorkOutcome> held = pauseGate.holdBack(deletion.jobId());
        if (held.isPresent()) {
            return held.get();
        }
        Job d;
        try {
            d = jobs.update(deletion.leased(deadline, now));
        } catch (JobChangedConcurrently raced) {
            return WorkOutcome.retryLater(settings.callAllowance(), "another worker claimed the deletion first");
        }
        try {
            return proceed(d, deadline);
        } catch (JobChangedConcurrently raced) {
            return WorkOutcome.retryLater(settings.callAllowance(), "deletion changed while running");
        } catch (RuntimeException unexpected) {
            release(d.jobId());
            throw unexpected;
        }
    }

    private WorkOutcome proceed(Job d, Instant deadline) {
        Job create = d.targetJobId().isEmpty() ? null : jobs.find(d.targetJobId()).orElse(null);
        if (create != null && !create.status().isTerminal()) {
            Instant busyUntil = create.status() == JobStatus.RUNNING && create.leaseUntil() != null
                    ? create.leaseUntil().plus(RUNNER_GRACE) : null;
            if (busyUntil != null && busyUntil.isAfter(clock.instant())) {
                // Looked at again soon: the worker usually releases its lease long before it would expire.
                Instant recheck = clock.instant().plus(LOOKUP_EVERY);
                return later(d, busyUntil.isBefore(recheck) ? busyUntil : recheck,
                        "waiting for the create job's worker to finish its call");
            }
            try {
                create = jobs.update(create.cancelled(Attempt.note(clock.instant(), "cancel", Attempt.CANCELLED,
                        "stopped: its voice is being deleted (deletion job " + d.jobId() + ")"), clock.instant()));
            } catch (JobChangedConcurrently raced) {
                return later(d, clock.instant().plusSeconds(1), "the create job changed; deciding again");
            }
        }
        Set<String> deleted = new LinkedHashSet<>();
        List<String> known = new ArrayList<>();
        addIfSet(known, d.modelId());
        if (create != null) {
            addIfSet(known, create.modelId());
        }
        for (String id : known) {
            Step step = deleteUpstream(d, id, deadline);
            if (step.outcome() != null) {
                return step.outcome();
            }
            d = step.job();
            deleted.add(id);
        }
        if (create != null && create.createStarted()) {
            String marker = JobRunner.markerTag(create.jobId());
            for (int i = 0; i < MAX_MODELS; i++) {
                Found found = findByMarker(d, marker, deadline);
                if (found.outcome() != null) {
                    return found.outcome();
                }
                d = found.job();
                if (found.model().isEmpty()) {
                    break;
                }
                ModelEntity model = found.model().get();
                if (catalog.find(model.id()).isEmpty()) {
                    // Listed until it is gone: if upstream refuses the delete, the owner can still see the model.
                    catalog.save(JobRunner.entryFor(create, model));
                }
                d = jobs.update(d.withModelId(model.id(), clock.instant()));
                Step step = deleteUpstream(d, model.id(), deadline);
                if (step.outcome() != null) {
                    return step.outcome();
                }
                d = step.job();
                deleted.add(model.id());
            }
            if (create.modelId() == null && deleted.isEmpty() && lookupsDone(d) < MARKER_LOOKUPS) {
                d = jobs.update(d.withAttempt(Attempt.note(clock.instant(), "find", Attempt.ABSENT,
                        "no model with the create's marker yet; looking again"), false));
                return later(d, clock.instant().plus(LOOKUP_EVERY), "the create may not be listed yet");
            }
        }
        String requester = requester(d);
        Attempt note = Attempt.note(clock.instant(), "erase", Attempt.ERASED,
                "voice erased by deletion job " + d.jobId() + ", " + requester);
        int versions = eraser.erase(d.bucket(), create, List.copyOf(deleted), note);
        d = jobs.update(d.withAttempt(Attempt.note(clock.instant(), "erase", Attempt.ERASED, deleted.size()
                + " model(s) deleted upstream; catalog entries, " + versions + " object version(s) and the job's"
                + " details erased"), false).deleted(clock.instant()));
        metrics.count("ModelsDeleted", deleted.size());
        LOG.info("voice deleted: models={} object_versions={}", deleted.size(), versions);
        return WorkOutcome.done("deleted");
    }

    /** The progress of one step: the job as stored now, or the message's outcome when the step ends the run. */
    private record Step(Job job, WorkOutcome outcome) {
    }

    private record Found(Job job, Optional<ModelEntity> model, WorkOutcome outcome) {
    }

    private Step deleteUpstream(Job d, String modelId, Instant deadline) {
        Optional<WorkOutcome> wait = waitForSlot(d, deadline);
        if (wait.isPresent()) {
            return new Step(d, wait.get());
        }
        Instant started = clock.instant();
        try {
            fish.delete(modelId);
            upstreamWorked();
            return new Step(record(d, new Attempt(started, "delete", Attempt.DELETED, 200, null, null,
                    millisSince(started), null), true), null);
        } catch (UpstreamError e) {
            if (e.isNotFound()) {
                upstreamWorked();
                return new Step(record(d, new Attempt(started, "delete", Attempt.DELETED, e.status(), e.code(),
                        "already gone upstream", millisSince(started), e.traceId()), true), null);
            }
            return new Step(d, failure(d, e, started));
        }
    }

    private Found findByMarker(Job d, String marker, Instant deadline) {
        Optional<WorkOutcome> wait = waitForSlot(d, deadline);
        if (wait.isPresent()) {
            return new Found(d, Optional.empty(), wait.get());
        }
        Instant started = clock.instant();
        try {
            Optional<ModelEntity> model = fish.findOwnByTag(marker);
            upstreamWorked();
            return new Found(d, model, null);
        } catch (UpstreamError e) {
            return new Found(d, Optional.empty(), failure(d, e, started));
        }
    }

    /** Waits here for the next send slot of the fleet's rate budget, or hands the message back when it is too far. */
    private Optional<WorkOutcome> waitForSlot(Job d, Instant deadline) {
        Instant slot = throttle.reserve();
        if (slot.plus(settings.callAllowance()).isAfter(deadline)) {
            return Optional.of(later(d, slot, "waiting for the deployment's upstream rate budget"));
        }
        if (slot.isAfter(clock.instant())) {
            sleeper.sleep(Duration.between(clock.instant(), slot));
        }
        return Optional.empty();
    }

    private void upstreamWorked() {
        throttle.succeeded();
        pauseGate.upstreamWorks();
    }

    /** A failed call: fail, pause or back off, as the error says. */
    private WorkOutcome failure(Job d, UpstreamError e, Instant started) {
        Instant now = clock.instant();
        JobError error = new JobError(e.code(), e.getMessage(), e.status(), e.traceId());
        LOG.warn("upstream call of a deletion failed: status={} code={} kind={} upstream_trace_id={}", e.status(),
                e.code(), e.kind(), e.traceId());
        if (e.isNotOffered()) {
            Job failed = record(d, new Attempt(started, "delete", Attempt.NOT_OFFERED, e.status(), e.code(),
                    e.getMessage(), millisSince(started), e.traceId()), false);
            jobs.update(failed.failed(new JobError("api_not_implemented", "The upstream does not offer deleting"
                    + " models (it answered " + e.status() + " " + e.code() + "); nothing was deleted or erased and"
                    + " the model stays listed. Ask again once the upstream offers DELETE.", e.status(),
                    e.traceId()), now));
            metrics.count("DeletionsFailed");
            return WorkOutcome.done("the upstream does not offer delete");
        }
        boolean blocked = e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED;
        String outcome = blocked ? Attempt.PAUSED : e.isRetryable() ? Attempt.RETRY : Attempt.FAILED;
        Job withAttempt = record(d, new Attempt(started, "delete", outcome, e.status(), e.code(), e.getMessage(),
                millisSince(started), e.traceId()), !blocked);
        if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            metrics.count("Upstream429");
            throttle.rateLimited(e.retryAfter());
        }
        if (blocked) {
            pauseGate.pause(e.code(), e.getMessage());
            metrics.count("UpstreamPaused");
            Instant probe = pauseGate.nextProbe();
            jobs.update(withAttempt.deletionWaiting(error, probe, now));
            return WorkOutcome.retryLater(Duration.between(now, probe), "upstream paused: " + e.code());
        }
        if (!e.isRetryable() || !retry.allowsAnotherAttempt(withAttempt.attempts())) {
            jobs.update(withAttempt.failed(error, now));
            metrics.count("DeletionsFailed");
            return WorkOutcome.done("deletion failed: " + e.code());
        }
        metrics.count("Retries");
        Duration delay = retry.delayAfter(withAttempt.attempts(), e.retryAfter());
        jobs.update(withAttempt.deletionWaiting(error, now.plus(delay), now));
        return WorkOutcome.retryLater(delay, "backing off");
    }

    /** Puts the deletion aside until {@code at} (lease released, so the redelivery can claim it at once). */
    private WorkOutcome later(Job d, Instant at, String why) {
        Instant now = clock.instant();
        Instant when = at.isBefore(now) ? now : at;
        jobs.update(d.deletionWaiting(d.error(), when, now));
        return WorkOutcome.retryLater(Duration.between(now, when), why);
    }

    private Job record(Job d, Attempt attempt, boolean counts) {
        return jobs.update(d.withAttempt(attempt, counts));
    }

    private void release(String jobId) {
        try {
            jobs.find(jobId).filter(j -> j.status() == JobStatus.DELETING && j.leaseUntil() != null)
                    .ifPresent(j -> jobs.update(j.deletionWaiting(j.error(), clock.instant(), clock.instant())));
        } catch (RuntimeException e) {
            LOG.warn("could not release the deletion's lease; it resumes when the lease expires: {}", e.toString());
        }
    }

    private static int lookupsDone(Job d) {
        return (int) d.history().stream().filter(a -> "find".equals(a.operation())
                && Attempt.ABSENT.equals(a.outcome())).count();
    }

    private static String requester(Job d) {
        return d.history().stream().filter(a -> Attempt.REQUESTED.equals(a.outcome())).reduce((a, b) -> b)
                .map(Attempt::message).orElse("requested");
    }

    private long millisSince(Instant started) {
        return Duration.between(started, clock.instant()).toMillis();
    }

    private static void addIfSet(List<String> ids, String id) {
        if (id != null && !id.isEmpty() && !ids.contains(id)) {
            ids.add(id);
        }
    }
}
