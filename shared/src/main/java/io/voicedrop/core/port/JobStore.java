package io.voicedrop.core.port;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import java.time.Instant;
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

    /**
     * Jobs of one owner ({@link Job#owner()}; null: the deployment's own, i.e. bucket uploads), of every status and
     * kind, newest first: by {@link Job#createdAt()}, ties by job id, both descending. Starts right after
     * {@code after} (exclusive), or at the newest job when it is null; returns at most {@code limit} jobs.
     */
    List<Job> listNewest(String owner, int limit, Position after);

    /** Where a newest-first listing stands: the last job it returned. */
    record Position(Instant createdAt, String jobId) {

        public static Position of(Job job) {
            return new Position(job.createdAt(), job.jobId());
        }
    }

    /** Another writer changed the job between our read and our write. Re-read and decide again. */
    final class JobChangedConcurrently extends RuntimeException {
        public JobChangedConcurrently(String jobId) {
            super("job " + jobId + " was changed concurrently");
        }
    }
}
