package io.voicedrop.core.port;

import java.time.Duration;
import java.time.Instant;

/**
 * The request-rate budget toward upstream, shared by every worker of the deployment. Callers reserve a send slot
 * before each call; a 429 halves the fleet's rate and pushes the next slot past {@code Retry-After}; successes
 * bring the rate back up step by step (additive increase, multiplicative decrease), so the fleet slows down
 * together and recovers when 429s stop.
 */
public interface UpstreamThrottle {

    /** Reserves the next send slot and returns when it starts (now or later). */
    Instant reserve();

    /** Upstream said 429: halve the rate and wait at least {@code retryAfter} (may be null) before the next slot. */
    void rateLimited(Duration retryAfter);

    /** A call went through: raise the rate a step, up to the configured budget. */
    void succeeded();
}
