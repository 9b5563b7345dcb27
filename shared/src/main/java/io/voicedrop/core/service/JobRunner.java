package io.voicedrop.core.service;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelEntity;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Turns one delivery of a job message into progress on that job, creating at most one model upstream per job.
 *
 * <p>How a model is never created twice: the job is claimed with a compare-and-set and a lease
 * ({@link JobClaims}), so two deliveries never call upstream at the same time; {@code createStarted} is written in
 * that same write, <em>before</em> the billable call, and the call tags the model with the job's marker
 * ({@link BillableCreate}). Any later attempt that sees {@code createStarted} first asks upstream (free) for a model
 * carrying that marker and adopts it instead of creating again.
 *
 * <p>The steps: {@link JobClaims} decides whether this delivery may run the job and claims it, the {@link PauseGate}
 * keeps it from upstream while the deployment is paused, {@link ModelCreation} gets it its model (or
 * {@link TrainingPoll} checks the model's training), and {@link JobFinisher} reports the result and settles the
 * message.
 */
public final class JobRunner {

    static final String MARKER_PREFIX = "vd-job-";

    private final JobClaims claims;
    private final PauseGate pauseGate;
    private final ModelCreation creation;
    private final TrainingPoll training;
    private final JobFinisher finisher;
    private final DeletionRunner deletions;

    /**
     * @param deletions runs deletion jobs ({@link Job#isDeletion()}); null for a runner of create jobs only, which
     *                  hands a deletion job back to the queue for a runner that has both
     */
    public JobRunner(JobClaims claims, PauseGate pauseGate, ModelCreation creation, TrainingPoll training,
                     JobFinisher finisher, DeletionRunner deletions) {
        this.claims = claims;
        this.pauseGate = pauseGate;
        this.creation = creation;
        this.training = training;
        this.finisher = finisher;
        this.deletions = deletions;
    }

    /** The marker tag a job's model carries upstream. Short, stable, and unique per job. */
    public static String markerTag(String jobId) {
        return MARKER_PREFIX + jobId;
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

    /** Runs the job as far as it can go before {@code deadline}. */
    public WorkOutcome run(String jobId, Instant deadline) {
        Optional<Job> found = claims.find(jobId);
        if (found.isEmpty()) {
            return WorkOutcome.deadLetter("no job with id " + jobId);
        }
        Job job = found.get();
        Optional<WorkOutcome> notNow = claims.alreadyFinished(job);
        if (notNow.isPresent()) {
            return notNow.get();
        }
        if (job.isDeletion()) {
            // Never the create path: a deletion job must not reach a billable call.
            return deletions != null ? deletions.run(job, deadline)
                    : claims.handBack("this runner does not run deletion jobs");
        }
        notNow = claims.notNow(job).or(() -> pauseGate.holdBack(jobId));
        if (notNow.isPresent()) {
            return notNow.get();
        }
        Optional<Job> claimed = claims.claim(job, deadline);
        if (claimed.isEmpty()) {
            return claims.handBack("another worker claimed the job first");
        }
        try {
            if (job.modelId() != null) {
                return finisher.finish(training.check(claimed.get(), deadline));
            }
            return creation.run(claimed.get(), job.createStarted(), deadline).map(finisher::finish)
                    .orElseGet(() -> claims.handBack("job changed while running"));
        } catch (RuntimeException unexpected) {
            claims.release(jobId);
            throw unexpected;
        }
    }
}
