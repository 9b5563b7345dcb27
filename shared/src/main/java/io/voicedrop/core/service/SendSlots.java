package io.voicedrop.core.service;

import io.voicedrop.core.port.UpstreamThrottle;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Waits for this send's slot of the fleet's rate budget. The slot is asked for right before the call, so that
 * nothing with a latency of its own (the claim's write) lies between the slot and the send: sends keep the budget's
 * spacing however slow the job store is, instead of bunching into 429s.
 */
public final class SendSlots {

    /**
     * How long after its slot a send may still go out. Half a second's sends at most are late, well inside the
     * one-second burst a per-second limit admits; a later one takes a fresh slot.
     */
    static final Duration LATE_SEND = Duration.ofMillis(500);

    private final UpstreamThrottle throttle;
    private final RunnerSettings settings;
    private final Clock clock;
    private final Sleeper sleeper;

    public SendSlots(UpstreamThrottle throttle, RunnerSettings settings, Clock clock, Sleeper sleeper) {
        this.throttle = throttle;
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /**
     * Sleeps until the send may go (empty), or returns the slot when it lies beyond this invocation: that slot is not
     * waited for, the job waits for it as a throttled attempt.
     */
    Optional<Instant> await(Instant deadline) {
        Instant slot = throttle.reserve();
        Optional<Instant> beyond = sleepUntil(slot, deadline);
        if (beyond.isEmpty() && Duration.between(slot, clock.instant()).compareTo(LATE_SEND) > 0) {
            // The slot passed long ago (its answer queued in a slow store, or this process stalled): workers late
            // together would send together, so this one takes a fresh slot instead, once.
            beyond = sleepUntil(throttle.reserve(), deadline);
        }
        return beyond;
    }

    private Optional<Instant> sleepUntil(Instant slot, Instant deadline) {
        Instant now = clock.instant();
        if (!slot.isAfter(now)) {
            return Optional.empty();
        }
        if (slot.plus(settings.callAllowance()).isAfter(deadline)) {
            return Optional.of(slot);
        }
        sleeper.sleep(Duration.between(now, slot));
        return Optional.empty();
    }
}
