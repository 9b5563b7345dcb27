package io.voicedrop.wiring;

import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobQueue;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.StatusReporter;
import io.voicedrop.core.port.UpstreamPause;
import io.voicedrop.core.port.UpstreamThrottle;
import io.voicedrop.core.retry.RetryPolicy;
import io.voicedrop.core.service.DeletionRunner;
import io.voicedrop.core.service.PreviewMaker;
import io.voicedrop.core.service.RunnerSettings;
import java.time.Clock;

/**
 * Everything a {@link io.voicedrop.core.service.JobRunner} is made from, so that the function and the tests that
 * drive a worker against swapped stores put it together through the same {@link Wiring#jobRunner(JobRunnerPorts)}.
 *
 * @param previews  makes a model's preview after it is created; null for none
 * @param deletions runs deletion jobs; null for a runner of create jobs only
 */
public record JobRunnerPorts(JobStore jobStore, ModelCatalog modelCatalog, UpstreamThrottle throttle,
                             UpstreamPause pause, JobQueue queue, FishApi fish, SampleUrlSigner signer,
                             Metrics metrics, RetryPolicy retryPolicy, RunnerSettings settings, Clock clock,
                             StatusReporter reporter, PreviewMaker previews, DeletionRunner deletions) {
}
