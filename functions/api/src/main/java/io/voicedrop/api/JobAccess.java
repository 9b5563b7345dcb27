package io.voicedrop.api;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobOwnership;
import io.voicedrop.core.service.JobVisibility;

/**
 * Who may see a job, as the controllers ask it: the rule itself is the core's {@link JobVisibility} (bucket jobs are
 * the deployment's, API jobs their owner's, someone else's job answers 404 exactly like one that does not exist).
 */
final class JobAccess {

    private final JobVisibility visibility;

    JobAccess(JobOwnership ownership) {
        this.visibility = new JobVisibility(ownership);
    }

    boolean canSee(Job job, String owner) {
        return visibility.canSee(job, owner);
    }
}
