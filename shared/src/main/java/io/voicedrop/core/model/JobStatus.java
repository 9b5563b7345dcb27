package io.voicedrop.core.model;

/** Where a job is in its life. Terminal states never change again. */
public enum JobStatus {
    /** Written by ingest and sent to the queue; nobody works on it yet. */
    QUEUED,
    /** A worker holds the lease and may be talking to upstream right now. */
    RUNNING,
    /** The last attempt failed in a way that may succeed later; the message comes back after a backoff. */
    RETRY_WAIT,
    /** Upstream created the model but it is still training; the worker polls until it is trained. */
    TRAINING,
    SUCCEEDED,
    /** Upstream rejected the job, or every attempt was used. */
    FAILED,
    /** Ingest refused the upload before anything was billed. */
    REJECTED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == REJECTED;
    }
}
