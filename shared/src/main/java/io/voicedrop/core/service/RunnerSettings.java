package io.voicedrop.core.service;

import java.time.Duration;

/**
 * Timings of the worker.
 *
 * @param urlExpiry          lifetime of the presigned sample URLs sent upstream
 * @param callAllowance      time kept free before the deadline for one more upstream call
 * @param trainingPollEvery  how often a model that is still training is checked
 * @param trainingTimeout    after this long in training the job fails
 * @param pauseProbeEvery    while paused, how often one job probes whether upstream works again
 */
public record RunnerSettings(Duration urlExpiry, Duration callAllowance, Duration trainingPollEvery,
                             Duration trainingTimeout, Duration pauseProbeEvery) {
}
