package io.voicedrop.core.service;

import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.UpstreamPause;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Keeps jobs away from upstream while the deployment is paused (bad token, no balance). While a pause lasts, each
 * job message is replaced by a new delayed one (a pause may last hours, and returning the same message would use up
 * its receive count and dead-letter it); when a probe is due, exactly one job goes through to test upstream.
 */
public final class PauseGate {

    private final UpstreamPause pause;
    private final JobQueue queue;
    private final Duration probeEvery;
    private final Clock clock;

    public PauseGate(UpstreamPause pause, JobQueue queue, Duration probeEvery, Clock clock) {
        this.pause = pause;
        this.queue = queue;
        this.probeEvery = probeEvery;
        this.clock = clock;
    }

    /** Empty when the job may go on (no pause, or it is the probe); otherwise the message's outcome. */
    Optional<WorkOutcome> holdBack(String jobId) {
        Optional<UpstreamPause.State> state = pause.current();
        if (state.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        UpstreamPause.State s = state.get();
        if (!s.nextProbeAt().isAfter(now) && pause.claimProbe(s, now.plus(probeEvery))) {
            return Optional.empty();
        }
        Instant retryAt = s.nextProbeAt().isAfter(now) ? s.nextProbeAt() : now.plus(probeEvery);
        queue.enqueue(jobId, Duration.between(now, retryAt));
        return Optional.of(WorkOutcome.done("upstream paused (" + s.code() + "); job waits for " + retryAt));
    }

    void pause(String code, String message) {
        pause.pause(code, message, clock.instant().plus(probeEvery));
    }

    Instant nextProbe() {
        return pause.current().map(UpstreamPause.State::nextProbeAt).orElse(clock.instant());
    }

    void upstreamWorks() {
        if (pause.current().isPresent()) {
            pause.resume();
        }
    }
}
