package io.voicedrop.api;

import io.voicedrop.core.port.JobQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The worker queue as a list of job ids. */
final class InMemoryJobQueue implements JobQueue {

    final List<String> sent = new ArrayList<>();
    /** Runs (on another thread, as a worker would) for every enqueued job; set by tests that play the worker. */
    volatile java.util.function.Consumer<String> worker;

    @Override
    public synchronized void enqueue(String jobId, Duration delay) {
        sent.add(jobId);
        java.util.function.Consumer<String> w = worker;
        if (w != null) {
            new Thread(() -> w.accept(jobId)).start();
        }
    }
}
