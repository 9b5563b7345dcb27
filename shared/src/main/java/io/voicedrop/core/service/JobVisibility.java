package io.voicedrop.core.service;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobOwnership;
import java.util.Optional;

/**
 * Who may see, change, cancel or delete a job and its model. Jobs made from the bucket (samples under
 * {@code incoming/}) belong to the deployment, whose bucket has one owner: every key of the deployment may. Jobs
 * created with {@code POST /fish/model} (samples under {@code uploads/}) belong to the owner recorded for them; an
 * API job whose owner record is missing belongs to nobody (fail closed). Deletion jobs and tombstones have no samples
 * left to tell, so their owner record decides: they get the owner of the job they erased. Someone else's job or model
 * is answered like one that does not exist. A job that names its owner ({@link Job#owner()}: every job asked for
 * through the API since jobs carry it, deletion jobs included) is its owner's only, whatever its kind; the rules
 * above decide for jobs stored before that.
 */
public final class JobVisibility {

    private final JobOwnership ownership;

    public JobVisibility(JobOwnership ownership) {
        this.ownership = ownership;
    }

    /** Made through {@code POST /fish/model}: its samples were stored under {@code uploads/}. */
    public static boolean isApiJob(Job job) {
        return job.sourceKeys().stream().anyMatch(k -> k.startsWith(UploadLayout.UPLOADS));
    }

    public boolean canSee(Job job, String owner) {
        if (job.owner() != null) {
            return job.owner().equals(owner);
        }
        // Jobs stored before jobs carried their owner: the owner record decides.
        boolean mayHaveOwner = isApiJob(job) || job.isDeletion() || job.status() == JobStatus.DELETED;
        if (!mayHaveOwner) {
            return true;
        }
        Optional<String> recorded = ownership.ownerOf(job.jobId());
        if (recorded.isPresent()) {
            return recorded.get().equals(owner);
        }
        return !isApiJob(job); // a tombstone or deletion of a bucket job: the deployment's
    }

    /** A catalog model follows its job; one without a job record is the deployment's unless the API made it. */
    public boolean canUse(CatalogEntry entry, Optional<Job> job, String owner) {
        if (job.isPresent()) {
            return canSee(job.get(), owner);
        }
        return entry.sourceKeys().stream().noneMatch(k -> k.startsWith(UploadLayout.UPLOADS));
    }
}
