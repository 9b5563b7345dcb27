package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.testing.InMemoryJobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** In-memory jobs, queue, reports and metrics for ingest tests. */
final class IngestFakes {

    private IngestFakes() {
    }

    static final class Jobs extends InMemoryJobStore {
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
