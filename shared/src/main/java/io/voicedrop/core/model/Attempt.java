package io.voicedrop.core.model;

import java.time.Instant;

/**
 * One call to upstream made for a job, kept in the job's history so {@code GET /jobs/{id}} explains what happened.
 *
 * @param outcome    what the worker concluded, e.g. {@code created}, {@code adopted}, {@code retry}, {@code failed}
 * @param httpStatus upstream HTTP status, or null when no response arrived (timeout, reset)
 * @param code       upstream error code ({@code too_many_requests}...) or a local one ({@code timeout})
 */
public record Attempt(Instant at, String operation, String outcome, Integer httpStatus, String code,
                      String message, long latencyMs, String traceId) {

    public static final String CREATED = "created";
    public static final String ADOPTED = "adopted";
    public static final String RETRY = "retry";
    public static final String FAILED = "failed";
    /** The deployment is blocked (token, balance): the job waits for the pause to end. */
    public static final String PAUSED = "paused";
    /** No call was made: the fleet's rate budget had no slot within this invocation. */
    public static final String THROTTLED = "throttled";
    /** The model is gone upstream (deleted now, or already gone: upstream answered 404). */
    public static final String DELETED = "deleted";
    /** A marker lookup found no model (a deletion job looking for what a create may have made). */
    public static final String ABSENT = "absent";
    /** The job was stopped before a (further) billable call. */
    public static final String CANCELLED = "cancelled";
    /** A delete was asked for (the first entry of a deletion job: who asked). */
    public static final String REQUESTED = "requested";
    /** VoiceDrop's copies were erased (catalog, samples, history details). */
    public static final String ERASED = "erased";
    /** The upload's samples were removed from the bucket, as it asked, once the model was trained. */
    public static final String SAMPLES_REMOVED = "samples_removed";
    /** Upstream does not offer the operation (the platform proxy answers 404 no_api, 405 or api_not_implemented). */
    public static final String NOT_OFFERED = "not_offered";

    /** An entry that is not an upstream call (a request, a cancellation, an erasure): no status, no latency. */
    public static Attempt note(Instant at, String operation, String outcome, String message) {
        return new Attempt(at, operation, outcome, null, null, message, 0, null);
    }
}
