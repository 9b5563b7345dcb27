package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** In-memory jobs, queue, reports and metrics for ingest tests. */
final class IngestFakes {

    private IngestFakes() {
    }

    static final class Jobs implements JobStore {
        final Map<String, Job> jobs = new LinkedHashMap<>();

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
        public JobPage listByStatus(JobStatus status, int limit, String cursor) {
            throw new UnsupportedOperationException();
        }
    }

    static final class Queue implements JobQueue {
        final List<String> sent = new ArrayList<>();
        final List<Duration> delays = new ArrayList<>();

        @Override
        public synchronized void enqueue(String jobId, Duration delay) {
            sent.add(jobId);
            delays.add(delay);
        }
    }

    static final class Reports implements StatusReporter {
        final List<Job> reported = new ArrayList<>();

        @Override
        public synchronized void report(Job job) {
            reported.add(job);
        }
    }

    static final Metrics NO_METRICS = new Metrics() {
        @Override
        public void count(String name, long value) {
        }

        @Override
        public void timeMillis(String name, long millis) {
        }
    };
}
