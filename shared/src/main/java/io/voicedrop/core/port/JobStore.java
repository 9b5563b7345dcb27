package io.voicedrop.core.port;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import java.util.List;
import java.util.Optional;

/** Where jobs live. Every write is a compare-and-set on {@link Job#version()}, so concurrent writers never lose updates. */
public interface JobStore {

    /** Stores a new job unless one with the same id exists. Returns false for the duplicate. */
    boolean createIfAbsent(Job job);

    Optional<Job> find(String jobId);

    /**
     * Replaces the stored job if it still has {@code changed.version()}; returns the job as stored (version + 1).
     *
     * @throws JobChangedConcurrently when someone else wrote it first
     */
    Job update(Job changed);

    /** Jobs in one status, most recently updated first. {@code cursor} is opaque; null starts at the beginning. */
    JobPage listByStatus(JobStatus status, int limit, String cursor);

    record JobPage(List<Job> jobs, String nextCursor) {
    }

    /** Another writer changed the job between our read and our write. Re-read and decide again. */
    final class JobChangedConcurrently extends RuntimeException {
        public JobChangedConcurrently(String jobId) {
            super("job " + jobId + " was changed concurrently");
        }
    }
}
