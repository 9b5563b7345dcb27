package io.voicedrop.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Scripted create, update and delete outcomes and the create rate limiter. Kept apart from the settings because
 * both carry state that changes per request, and tests mutate them while requests are in flight.
 */
final class Faults {

    /** What the next create call does instead of (or after) the normal flow. */
    sealed interface Step permits Fail, Hold, Drop {}

    /**
     * Answer with {@code status} without validating or storing anything. The reply is built when
     * dequeued so that it honours the Retry-After setting in force at that moment.
     *
     * @param body raw body to send, or null for the canned body of {@link #scripted}
     */
    record Fail(int status, String body) implements Step {
        Reply reply(boolean retryAfterHeader) {
            return body == null ? scripted(status, retryAfterHeader) : Reply.raw(status, body);
        }
    }

    /** Run the create normally, then sit on the answer so the client's timeout fires first. */
    record Hold(Duration duration) implements Step {}

    /** Run the create normally, then close the connection without any status line. */
    record Drop() implements Step {}

    /** The calls a script can target. */
    enum Operation { CREATE, UPDATE, DELETE }

    private final ConcurrentLinkedQueue<Step> script = new ConcurrentLinkedQueue<>();
    private final java.util.Map<Operation, ConcurrentLinkedQueue<Step>> editScripts = new java.util.EnumMap<>(
            java.util.Map.of(Operation.UPDATE, new ConcurrentLinkedQueue<>(),
                    Operation.DELETE, new ConcurrentLinkedQueue<>()));

    // Token bucket: burst of `rate` calls, refilled continuously, so a steady R/s never trips it.
    private int bucketRate;
    private double tokens;
    private long lastRefill;

    void enqueue(Step step) {
        script.add(step);
    }

    Step nextStep() {
        return script.poll();
    }

    void enqueue(Operation op, Step step) {
        if (op == Operation.CREATE) {
            enqueue(step);
        } else {
            editScripts.get(op).add(step);
        }
    }

    Step nextStep(Operation op) {
        return op == Operation.CREATE ? nextStep() : editScripts.get(op).poll();
    }

    List<Step> pending() {
        return new ArrayList<>(script);
    }

    List<Step> pending(Operation op) {
        return op == Operation.CREATE ? pending() : new ArrayList<>(editScripts.get(op));
    }

    synchronized void clear() {
        script.clear();
        editScripts.values().forEach(ConcurrentLinkedQueue::clear);
        bucketRate = 0;
    }

    /**
     * Takes one token for a create call.
     *
     * @return 0 when allowed, otherwise the whole seconds until a token is available (at least 1,
     *     because Retry-After has only second resolution and 0 would invite a hot retry loop)
     */
    synchronized long acquire(int ratePerSecond, long nowNanos) {
        if (ratePerSecond <= 0) {
            return 0;
        }
        if (ratePerSecond != bucketRate) {
            bucketRate = ratePerSecond;
            tokens = ratePerSecond;
            lastRefill = nowNanos;
        }
        double elapsed = (nowNanos - lastRefill) / 1e9;
        tokens = Math.min(ratePerSecond, tokens + elapsed * ratePerSecond);
        lastRefill = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / ratePerSecond));
    }

    /** The body each scripted status gets, mirroring where ADC wraps and where raw Fish leaks through. */
    static Reply scripted(int status, boolean retryAfterHeader) {
        return switch (status) {
            case 400 -> Reply.badRequest("The request is invalid.");
            case 401 -> Reply.envelope(401, "invalid_token", "The specified token is invalid or wrong.");
            case 402 -> Reply.raw(402, "{\"status\":402,\"message\":\"Insufficient credits\"}");
            case 403 -> Reply.envelope(403, "used_up", "Your balance is insufficient.");
            case 404 -> Reply.envelope(404, "not_found", "The resource does not exist.");
            case 422 -> Reply.raw(422,
                    "[{\"loc\":[\"body\",\"title\"],\"type\":\"missing\",\"msg\":\"Field required\"}]");
            case 429 -> tooManyRequests(1, retryAfterHeader);
            case 500 -> Reply.envelope(500, "api_error", "fetch failed");
            case 502 -> Reply.envelope(502, "api_error", "Bad gateway: upstream returned an invalid response.");
            case 503 -> Reply.envelope(503, "api_error", "Service unavailable: upstream is under high load.");
            case 504 -> Reply.envelope(504, "api_error", "Gateway timeout: upstream did not answer in time.");
            default -> Reply.envelope(status, "api_error", "Scripted failure with HTTP " + status + ".");
        };
    }

    static Reply tooManyRequests(long retryAfterSeconds, boolean withHeader) {
        Reply reply = Reply.envelope(429, "too_many_requests", "Too many requests, please slow down.");
        return withHeader ? reply.withHeader("Retry-After", Long.toString(retryAfterSeconds)) : reply;
    }
}
