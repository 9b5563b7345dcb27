package io.voicedrop.api;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobOwnership;

/**
 * Who may see a job. Jobs made from the bucket (samples under {@code incoming/}) belong to the deployment, whose
 * bucket has one owner: every key of the deployment sees them. Jobs created with {@code POST /fish/model} (samples
 * under {@code uploads/}) are seen only by keys of the owner who created them; an API job whose owner record is
 * missing is seen by nobody (fail closed). Someone else's job answers 404, exactly like a job that does not exist.
 * A job that names its owner ({@link Job#owner()}) is seen by that owner's keys only, whatever its kind.
 */
final class JobAccess {

    private final JobOwnership ownership;

    JobAccess(JobOwnership ownership) {
        this.ownership = ownership;
    }

    static boolean isApiJob(Job job) {
        return job.sourceKeys().stream().anyMatch(k -> k.startsWith(ModelSubmissions.UPLOADS));
    }

    boolean canSee(Job job, String owner) {
        if (job.owner() != null) {
            return job.owner().equals(owner);
        }
        // Jobs stored before jobs carried their owner: the owner record decides.
        if (!isApiJob(job)) {
            return true;
        }
        return owner != null && ownership.ownerOf(job.jobId()).map(owner::equals).orElse(false);
    }
}
