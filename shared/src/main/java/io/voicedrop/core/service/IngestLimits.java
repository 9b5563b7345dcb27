package io.voicedrop.core.service;

import java.time.Duration;

/** What ingest accepts before anything is billed. Defaults are documented in the README's configuration table. */
public record IngestLimits(long maxSampleBytes, int maxSamplesPerModel, Duration maxTotalDuration) {
}
