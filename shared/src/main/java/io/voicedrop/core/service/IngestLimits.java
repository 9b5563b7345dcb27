package io.voicedrop.core.service;

import java.time.Duration;

/**
 * What ingest accepts before anything is billed (from {@code MAX_SAMPLE_BYTES}, {@code MAX_SAMPLES_PER_MODEL} and
 * {@code MAX_TOTAL_DURATION_SECONDS}). Defaults are documented in docs/operations.md (Configuration).
 */
public record IngestLimits(long maxSampleBytes, int maxSamplesPerModel, Duration maxTotalDuration) {

    public IngestLimits {
        if (maxSampleBytes < 1 || maxSamplesPerModel < 1 || maxTotalDuration.isNegative() || maxTotalDuration.isZero()) {
            throw new IllegalArgumentException("ingest limits must be positive: " + maxSampleBytes + ", "
                    + maxSamplesPerModel + ", " + maxTotalDuration);
        }
    }
}
