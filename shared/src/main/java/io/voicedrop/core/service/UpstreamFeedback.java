package io.voicedrop.core.service;

import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.UpstreamError;
import io.voicedrop.core.port.UpstreamThrottle;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What upstream's answer to a job's call tells the whole fleet: a 429 slows the shared rate budget (honouring
 * {@code Retry-After}), a refused token or balance pauses the deployment, and a success lifts a pause.
 */
public final class UpstreamFeedback {

    private static final Logger LOG = LoggerFactory.getLogger(UpstreamFeedback.class);

    private final UpstreamThrottle throttle;
    private final PauseGate pauseGate;
    private final Metrics metrics;

    public UpstreamFeedback(UpstreamThrottle throttle, PauseGate pauseGate, Metrics metrics) {
        this.throttle = throttle;
        this.pauseGate = pauseGate;
        this.metrics = metrics;
    }

    void worked() {
        throttle.succeeded();
        pauseGate.upstreamWorks();
    }

    void failed(UpstreamError e) {
        log(e);
        if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            metrics.count("Upstream429");
            throttle.rateLimited(e.retryAfter());
        }
        if (e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED) {
            pauseGate.pause(e.code(), e.getMessage());
            metrics.count("UpstreamPaused");
        }
    }

    /** When the paused deployment's next probe is due. */
    Instant nextProbe() {
        return pauseGate.nextProbe();
    }

    /**
     * Levels by who must act: a refused token or balance stops every job until an operator fixes it (ERROR); a 429
     * is the fleet finding upstream's rate, handled by slowing down (INFO); anything else fails or retries this job
     * alone (WARN).
     */
    private static void log(UpstreamError e) {
        if (e.kind() == UpstreamError.Kind.DEPLOYMENT_BLOCKED) {
            LOG.error("upstream refuses this deployment (status={} code={}): jobs wait until the token or balance is "
                    + "fixed; see scripts/voicedrop-ops.sh status. upstream_trace_id={}", e.status(), e.code(), e.traceId());
        } else if (e.kind() == UpstreamError.Kind.RATE_LIMITED) {
            LOG.info("upstream rate limit reached (status={}); the fleet slows down. upstream_trace_id={}", e.status(),
                    e.traceId());
        } else {
            LOG.warn("upstream call failed: status={} code={} kind={} upstream_trace_id={}", e.status(), e.code(),
                    e.kind(), e.traceId());
        }
    }
}
