package io.voicedrop.core.service;

import java.time.Duration;

/**
 * How long a folder's manifest waits for samples it lists that are not in the bucket yet (a sync tool may finish
 * the manifest before a large sample): {@code rechecks} more looks, {@code every} apart. Listed samples still
 * missing after that are named in the rejection.
 */
public record ArrivalWait(int rechecks, Duration every) {

    public static final ArrivalWait DEFAULT = new ArrivalWait(5, Duration.ofSeconds(1));

    public ArrivalWait {
        if (rechecks < 0 || every.isNegative()) {
            throw new IllegalArgumentException("rechecks and every must not be negative");
        }
    }

    public Duration total() {
        return every.multipliedBy(rechecks);
    }
}
