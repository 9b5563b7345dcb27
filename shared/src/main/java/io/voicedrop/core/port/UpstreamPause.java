package io.voicedrop.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * A deployment-wide stop sign. When upstream says the token is bad or the balance is gone, every job would fail the
 * same way, so processing pauses (jobs stay queued) until someone fixes it or the next probe succeeds.
 */
public interface UpstreamPause {

    Optional<State> current();

    void pause(String code, String message, Instant nextProbeAt);

    /**
     * Lets exactly one worker probe upstream when a probe is due: moves the next probe time forward if it is still
     * {@code expected.nextProbeAt()}. Returns false if another worker already took this probe.
     */
    boolean claimProbe(State expected, Instant nextProbeAt);

    void resume();

    record State(String code, String message, Instant since, Instant nextProbeAt) {
    }
}
