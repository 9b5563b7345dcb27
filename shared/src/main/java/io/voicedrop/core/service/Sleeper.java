package io.voicedrop.core.service;

import java.time.Duration;

/** Waits. Separate so tests can run backoff schedules without real time passing. */
@FunctionalInterface
public interface Sleeper {

    void sleep(Duration duration);

    Sleeper REAL = d -> {
        try {
            Thread.sleep(Math.max(0, d.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    };
}
