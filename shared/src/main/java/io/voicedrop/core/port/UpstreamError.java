package io.voicedrop.core.port;

import java.time.Duration;

/**
 * A failed upstream call, with what upstream said (status, code, message, trace id) and what it means for us.
 * {@code status} is null when no response arrived at all.
 */
public final class UpstreamError extends Exception {

    /** What the failure means for the job, which decides between retrying, failing and pausing. */
    public enum Kind {
        /** 429: upstream is busy; slow down and retry. */
        RATE_LIMITED,
        /** 5xx: upstream trouble; retry with backoff. */
        SERVER_ERROR,
        /** No answer (timeout, connection reset): the call may or may not have taken effect upstream. */
        NO_RESPONSE,
        /** 400/404/422...: this request can never succeed; fail the job, keep upstream's words. */
        REQUEST_REJECTED,
        /** 401/402/403: the deployment's token or balance is wrong; every job would fail the same way. */
        DEPLOYMENT_BLOCKED
    }

    private final Integer status;
    private final String code;
    private final String traceId;
    private final Duration retryAfter;
    private final boolean neverSent;

    public UpstreamError(Integer status, String code, String message, String traceId, Duration retryAfter,
                         Throwable cause) {
        this(status, code, message, traceId, retryAfter, cause, false);
    }

    private UpstreamError(Integer status, String code, String message, String traceId, Duration retryAfter,
                          Throwable cause, boolean neverSent) {
        super(message, cause);
        this.status = status;
        this.code = code;
        this.traceId = traceId;
        this.retryAfter = retryAfter;
        this.neverSent = neverSent;
    }

    public static UpstreamError noResponse(String code, String message, Throwable cause) {
        return new UpstreamError(null, code, message, null, null, cause);
    }

    /** No connection was made (refused, or not within the connect timeout): upstream never saw the request. */
    public static UpstreamError notSent(String code, String message, Throwable cause) {
        return new UpstreamError(null, code, message, null, null, cause, true);
    }

    /**
     * True when the request certainly never reached upstream, so repeating it cannot cost twice. False for every
     * answer and for a timeout or reset after the request went out (it may have been served).
     */
    public boolean neverSent() {
        return neverSent;
    }

    public Kind kind() {
        if (status == null) {
            return Kind.NO_RESPONSE;
        }
        if (status == 429) {
            return Kind.RATE_LIMITED;
        }
        if (status == 408 || status >= 500) {
            return Kind.SERVER_ERROR;
        }
        if (status == 401 || status == 402 || status == 403) {
            return Kind.DEPLOYMENT_BLOCKED;
        }
        return Kind.REQUEST_REJECTED;
    }

    public boolean isRetryable() {
        Kind k = kind();
        return k == Kind.RATE_LIMITED || k == Kind.SERVER_ERROR || k == Kind.NO_RESPONSE;
    }

    /**
     * Upstream does not offer the operation at all: the platform proxy answers an unknown route with 404
     * {@code no_api}, a method it does not route with 405 (or 501), and a variant it does not support with
     * {@code api_not_implemented} (reference sections 2, 7.2 and 10: PATCH and DELETE may be missing there).
     */
    public boolean isNotOffered() {
        if ("api_not_implemented".equals(code)) {
            return true;
        }
        return status != null && (status == 405 || status == 501 || (status == 404 && "no_api".equals(code)));
    }

    /** Upstream says the model does not exist (404 other than an unknown route): for a delete, already gone. */
    public boolean isNotFound() {
        return status != null && status == 404 && !isNotOffered();
    }

    public Integer status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String traceId() {
        return traceId;
    }

    /** Upstream's {@code Retry-After}, or null when it gave none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
