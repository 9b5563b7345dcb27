package io.voicedrop.api;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.service.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Waits for a job submitted by {@code POST /fish/model} to produce its model (or a deletion job to finish), within
 * the time API Gateway gives a request, so that a client gets what the upstream would have answered (201 with the model) whenever the worker's
 * create is quick, and the job to follow (202) when it is not. Reads the job record, which the worker updates; the
 * catalog entry is written before the job records its model id, so a model id found here is in the catalog.
 */
final class CreateWait {

    private static final Duration FIRST_INTERVAL = Duration.ofMillis(200);
    private static final Duration MAX_INTERVAL = Duration.ofSeconds(1);

    private final JobStore jobs;
    private final ModelCatalog catalog;
    private final Sleeper sleeper;
    private final Clock clock;

    CreateWait(JobStore jobs, ModelCatalog catalog, Sleeper sleeper, Clock clock) {
        this.jobs = jobs;
        this.catalog = catalog;
        this.sleeper = sleeper;
        this.clock = clock;
    }

    /** Where the job stands when the wait ends. */
    sealed interface Result permits Created, Failed, Pending {
        Job job();
    }

    /** Upstream created the model (it may still be training, or have failed training, as upstream reports it). */
    record Created(Job job, ModelEntity model) implements Result {
    }

    /** The job ended without a model: upstream refused it, or every attempt failed. */
    record Failed(Job job) implements Result {
    }

    /** Still on its way at the deadline. */
    record Pending(Job job) implements Result {
    }

    Result until(Job submitted, Instant deadline) {
        Job job = poll(submitted, j -> settled(j).isPresent(), deadline);
        return settled(job).orElseGet(() -> new Pending(job));
    }

    /** Waits for a job to end (a deletion job: {@code DELETED} or {@code FAILED}); returns it as last read. */
    Job untilEnded(Job submitted, Instant deadline) {
        return poll(submitted, j -> j.status().isTerminal(), deadline);
    }

    private Job poll(Job submitted, Predicate<Job> done, Instant deadline) {
        Job job = submitted;
        Duration interval = FIRST_INTERVAL;
        while (!done.test(job)) {
            Duration left = Duration.between(clock.instant(), deadline);
            if (left.isNegative() || left.isZero()) {
                return job;
            }
            sleeper.sleep(left.compareTo(interval) < 0 ? left : interval);
            interval = interval.multipliedBy(3).dividedBy(2);
            interval = interval.compareTo(MAX_INTERVAL) > 0 ? MAX_INTERVAL : interval;
            job = jobs.find(job.jobId()).orElse(job);
        }
        return job;
    }

    private Optional<Result> settled(Job job) {
        if (job.modelId() != null) {
            return catalog.find(job.modelId()).map(entry -> new Created(job, entry.model()));
        }
        if (job.status().isTerminal()) {
            return Optional.of(new Failed(job));
        }
        return Optional.empty();
    }
}
