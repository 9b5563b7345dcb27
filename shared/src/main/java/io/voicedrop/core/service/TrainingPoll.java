package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.UpstreamError;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Checks a model that is still training; free calls, scheduled by message delay so no Lambda waits idle. */
public final class TrainingPoll {

    private static final Logger LOG = LoggerFactory.getLogger(TrainingPoll.class);

    private final FishApi fish;
    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final AttemptRecorder recorder;
    private final RunnerSettings settings;
    private final Clock clock;

    public TrainingPoll(FishApi fish, ModelCatalog catalog, JobStore jobs, AttemptRecorder recorder,
                        RunnerSettings settings, Clock clock) {
        this.fish = fish;
        this.catalog = catalog;
        this.jobs = jobs;
        this.recorder = recorder;
        this.settings = settings;
        this.clock = clock;
    }

    /** The claimed job after one check: finished, timed out, or still training. */
    Job check(Job job, Instant deadline) {
        Instant now = clock.instant();
        try {
            ModelEntity model = fish.get(job.modelId());
            if (model.isFinal()) {
                // Saves the catalog entry itself, before the job's result.
                return recorder.succeeded(job, model, "poll", model.state(), now, deadline);
            }
            catalog.save(JobRunner.entryFor(job, model));
        } catch (UpstreamError e) {
            LOG.warn("polling the model failed: status={} code={} upstream_trace_id={}", e.status(), e.code(), e.traceId());
        }
        if (now.isAfter(job.createdAt().plus(settings.trainingTimeout()))) {
            return jobs.update(job.failed(JobError.of("training_timeout",
                    "model still training after " + settings.trainingTimeout()), now));
        }
        return jobs.update(job.withStatus(JobStatus.TRAINING, now));
    }
}
