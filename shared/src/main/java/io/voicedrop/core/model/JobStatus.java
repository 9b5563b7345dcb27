package io.voicedrop.core.model;

/**
 * Where a job is in its life. Terminal states never change again, with one exception: erasing a voice turns its
 * create job, whatever terminal state it ended in, into {@link #DELETED} (its tombstone), and a new delete request
 * starts a {@link #FAILED} deletion job again.
 */
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
    /** Upstream rejected the job, or every attempt was used (for a deletion job: the model could not be deleted). */
    FAILED,
    /** Ingest refused the upload before anything was billed. */
    REJECTED,
    /** Stopped before its billable call (on request, or because its model is being deleted): never billed by it. */
    CANCELLED,
    /** A deletion job that is queued, running or backing off: it deletes a model upstream and erases its data. */
    DELETING,
    /** A deletion job that finished, or the tombstone of a create job whose model and samples were erased. */
    DELETED;

    public boolean isTerminal() {
        return this == SUCCEEDED || this == FAILED || this == REJECTED || this == CANCELLED || this == DELETED;
    }
}
