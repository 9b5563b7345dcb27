package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;

/**
 * Asks for a voice to be deleted ({@code DELETE /fish/model/{id}}, {@code scripts/voicedrop-ops.sh delete-model}):
 * stores a deletion job and hands it to the worker queue, where {@link DeletionRunner} deletes the model upstream
 * and erases VoiceDrop's copies. The id is a model id or the id of the create job that made (or is making) it.
 *
 * <p>One deletion job per voice: its id is derived from the create job (or, for a model without one, from the
 * model), so repeated requests, and a request by model id next to one by job id, find the same job. A deletion that
 * failed (for example because the upstream was down past every retry) is started again by the next request. A create
 * job that has not started its billable call is cancelled at once, so nothing is billed for a voice its owner
 * already wants gone; one past that point is stopped by the deletion job, which then deletes whatever it created.
 */
public final class ModelDeletion {

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobOwnership ownership;
    private final JobVisibility visibility;
    private final JobQueue queue;
    private final JobCanceller canceller;
    private final String bucket;
    private final Clock clock;

    public ModelDeletion(ModelCatalog catalog, JobStore jobs, JobOwnership ownership, JobQueue queue,
                         JobCanceller canceller, String bucket, Clock clock) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.ownership = ownership;
        this.visibility = new JobVisibility(ownership);
        this.queue = queue;
        this.canceller = canceller;
        this.bucket = bucket;
        this.clock = clock;
    }

    /** What a delete request came to. */
    public sealed interface Result permits Requested, NotFound {
    }

    /** The deletion job, as stored now (DELETING, or already DELETED or FAILED). */
    public record Requested(Job deletion) implements Result {
    }

    /** No such model or job, or not the caller's. */
    public record NotFound() implements Result {
    }

    /** The deletion job's id for a voice: from its create job when it has one, else from the model. */
    public static String deletionIdFor(String createJobId, String modelId) {
        String seed = createJobId != null && !createJobId.isEmpty() ? "delete:job:" + createJobId
                : "delete:model:" + modelId;
        return UUID.nameUUIDFromBytes(seed.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /**
     * @param owner       the API key's owner; null for an operator, who may delete any model of the deployment
     * @param requestedBy who asked, as the tombstone will say (a key's hash prefix and owner, or the operator)
     */
    public Result request(String id, String owner, String requestedBy) {
        Optional<Target> target = resolve(id, owner);
        if (target.isEmpty()) {
            return new NotFound();
        }
        Job create = target.get().createJob();
        String modelId = target.get().modelId();
        String deletionId = deletionIdFor(create == null ? null : create.jobId(), modelId);
        Attempt asked = Attempt.note(clock.instant(), "delete", Attempt.REQUESTED, "requested by " + requestedBy);
        // The caller's job, listed to them (GET /jobs); an operator's deletion belongs to the voice's owner.
        String deletionOwner = owner != null ? owner : create == null ? null : ownerOf(create);
        Job deletion = createOrRestart(deletionId, create, modelId, deletionOwner, asked);
        if (create != null) {
            // Before the worker even sees the deletion: a create that has not started is never billed.
            canceller.cancelIfNotStarted(create, "cancelled: its voice is being deleted (deletion job " + deletionId
                    + ")");
        }
        return new Requested(handOver(deletion));
    }

    /** The voice an id names, if the caller may delete it. */
    private Optional<Target> resolve(String id, String owner) {
        Optional<CatalogEntry> entry = catalog.find(id);
        if (entry.isPresent()) {
            Optional<Job> create = entry.get().jobId() == null ? Optional.empty() : jobs.find(entry.get().jobId());
            if (owner != null && !visibility.canUse(entry.get(), create, owner)) {
                return Optional.empty();
            }
            return Optional.of(new Target(create.orElse(null), id));
        }
        Optional<Job> job = jobs.find(id).filter(j -> !j.isDeletion())
                .filter(j -> owner == null || visibility.canSee(j, owner));
        return job.map(j -> new Target(j, j.modelId()));
    }

    private record Target(Job createJob, String modelId) {
    }

    private String ownerOf(Job create) {
        return create.owner() != null ? create.owner() : ownership.ownerOf(create.jobId()).orElse(null);
    }

    private Job createOrRestart(String deletionId, Job create, String modelId, String owner, Attempt asked) {
        for (int race = 0; race < 5; race++) {
            Optional<Job> existing = jobs.find(deletionId);
            if (existing.isPresent()) {
                Job d = existing.get();
                if (d.status() != JobStatus.FAILED) {
                    return d;
                }
                try {
                    return jobs.update(d.deletionRestarted(asked, clock.instant()));
                } catch (JobStore.JobChangedConcurrently raced) {
                    continue;
                }
            }
            Job fresh = Job.deletion(deletionId, create == null ? bucket : create.bucket(),
                    create == null ? null : create.jobId(), modelId, owner, asked, clock.instant());
            if (jobs.createIfAbsent(fresh)) {
                return jobs.find(deletionId).orElse(fresh);
            }
        }
        throw new IllegalStateException("deletion job " + deletionId + " kept changing");
    }

    /** Sends the deletion to the worker unless a message is already on its way; safe to repeat. */
    private Job handOver(Job deletion) {
        if (deletion.status() != JobStatus.DELETING || deletion.enqueuedAt() != null) {
            return deletion;
        }
        queue.enqueue(deletion.jobId(), JobSubmitter.HAND_OVER_DELAY);
        try {
            return jobs.update(deletion.enqueued(clock.instant()));
        } catch (JobStore.JobChangedConcurrently raced) {
            return jobs.find(deletion.jobId()).orElse(deletion); // the worker took it already
        }
    }
}
