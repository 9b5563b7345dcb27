package io.voicedrop.core.port;

import io.voicedrop.core.model.Job;

/** Publishes a job's state where the uploader looks (a JSON report in the bucket, outside {@code incoming/}). */
public interface StatusReporter {

    void report(Job job);
}
