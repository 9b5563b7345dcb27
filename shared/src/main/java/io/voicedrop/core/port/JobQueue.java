package io.voicedrop.core.port;

import java.time.Duration;

/** The queue that hands jobs to the worker. Messages carry only the job id; the job record holds the rest. */
public interface JobQueue {

    void enqueue(String jobId, Duration delay);
}
