package io.voicedrop.core.service;

import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Free upstream calls made while a client waits (an edit): each waits for a slot of the fleet's rate budget, and
 * 429, 5xx and timeouts are retried with the one {@link RetryPolicy} for as long as the caller's deadline allows.
 * Calls that cost money never come here: only the worker's job protocol makes those.
 */
public final class UpstreamCalls {

    /** One upstream call. */
    @FunctionalInterface
    public interface Call<T> {
        T run() throws UpstreamError;
    }

    private final UpstreamThrottle throttle;
    private final RetryPolicy retry;
    private final Sleeper sleeper;
    private final Clock clock;

    public UpstreamCalls(UpstreamThrottle throttle, RetryPolicy retry, Sleeper sleeper, Clock clock) {
        this.throttle = throttle;
        this.retry = retry;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /**
     * @throws UpstreamError the last failure, when it cannot be retried, the attempts are used up, or the next try
     *                       would end after {@code deadline} (a rate budget that has no slot in time is a 429)
     */
    public <T> T call(Call<T> call, Instant deadline) throws UpstreamError {
        int attempts = 0;
        while (true) {
            Instant slot = throttle.reserve();
            if (slot.isAfter(deadline)) {
                throw new UpstreamError(429, "rate_budget", "the deployment's upstream rate budget has no slot in"
                        + " time", null, Duration.between(clock.instant(), slot), null);
            }
            if (slot.isAfter(clock.instant())) {
                sleeper.sleep(Duration.between(clock.instant(), slot));
            }
            try {
                T result = call.run();
                throttle.succeeded();
                return result;
            } catch (UpstreamError e) {
                attempts++;
                if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
                    throttle.rateLimited(e.retryAfter());
                }
                if (!e.isRetryable() || !retry.allowsAnotherAttempt(attempts)) {
                    throw e;
                }
                Duration delay = retry.delayAfter(attempts, e.retryAfter());
                if (clock.instant().plus(delay).isAfter(deadline)) {
                    throw e;
                }
                sleeper.sleep(delay);
            }
        }
    }
}
