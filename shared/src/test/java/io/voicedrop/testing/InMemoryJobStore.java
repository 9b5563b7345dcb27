package io.voicedrop.testing;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Jobs in a map, with the Dynamo store's compare-and-set semantics, for tests of the services and the API. Cursors
 * are "idx:N" (anything else is rejected like the Dynamo store does).
 */
public class InMemoryJobStore implements JobStore {

    protected final Map<String, Job> jobs = new LinkedHashMap<>();

    public boolean isEmpty() {
        return jobs.isEmpty();
    }

    @Override
    public synchronized boolean createIfAbsent(Job job) {
        return jobs.putIfAbsent(job.jobId(), job.withVersion(1)) == null;
    }

    @Override
    public synchronized Optional<Job> find(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    @Override
    public synchronized Job update(Job changed) {
        Job stored = jobs.get(changed.jobId());
        if (stored == null || stored.version() != changed.version()) {
            throw new JobChangedConcurrently(changed.jobId());
        }
        Job next = changed.withVersion(changed.version() + 1);
        jobs.put(next.jobId(), next);
        return next;
    }

    @Override
    public synchronized JobPage listByStatus(JobStatus status, int limit, String cursor) {
        int start = 0;
        if (cursor != null) {
            if (!cursor.matches("idx:\\d{1,6}")) {
                throw new IllegalArgumentException("invalid cursor");
            }
            start = Integer.parseInt(cursor.substring(4));
        }
        List<Job> all = jobs.values().stream().filter(j -> j.status() == status)
                .sorted(Comparator.comparing(Job::updatedAt).reversed()).toList();
        int from = Math.min(start, all.size());
        int to = Math.min(all.size(), from + limit);
        return new JobPage(all.subList(from, to), to < all.size() ? "idx:" + to : null);
    }

    @Override
    public synchronized List<Job> listNewest(String owner, int limit, Position after) {
        return jobs.values().stream().filter(j -> Objects.equals(j.owner(), owner))
                .filter(j -> after == null || olderThan(j, after))
                .sorted(Comparator.comparing(Job::createdAt).thenComparing(Job::jobId).reversed())
                .limit(limit).toList();
    }

    private static boolean olderThan(Job j, Position p) {
        int byTime = j.createdAt().compareTo(p.createdAt());
        return byTime < 0 || (byTime == 0 && j.jobId().compareTo(p.jobId()) < 0);
    }
}
