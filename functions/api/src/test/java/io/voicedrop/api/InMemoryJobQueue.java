package io.voicedrop.api;

import io.voicedrop.core.port.JobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker queue as a list of job ids. */
final class InMemoryJobQueue implements JobQueue {

    final List<String> sent = new ArrayList<>();

    @Override
    public synchronized void enqueue(String jobId, Duration delay) {
        sent.add(jobId);
    }
}
