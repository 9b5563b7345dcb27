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
}
