package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.port.CreateModelCall;
import io.voicedrop.core.port.FishApi;
import io.voicedrop.core.port.Metrics;
import io.voicedrop.core.port.SampleUrlSigner;
import io.voicedrop.core.port.UpstreamError;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One attempt at a job's billable call: waits for a send slot, then adopts the model an earlier attempt created
 * (asked for by the job's marker tag, a free call) or sends the one create, tagged with that marker. It stores
 * nothing: {@link AttemptRecorder} turns what the attempt gave into the job's next state.
 */
public final class BillableCreate {

    /** What one attempt gave. */
    sealed interface Result permits Deferred, Answered, Failed {
    }

    /** No call made: the send slot lies beyond this invocation. */
    record Deferred(Instant slot) implements Result {
    }

    /** Upstream has the job's model: {@code operation} "create" (just created) or "find" (adopted). */
    record Answered(ModelEntity model, String operation, String outcome, Instant started) implements Result {
    }

    record Failed(UpstreamError error, Instant started) implements Result {
    }

    private final FishApi fish;
    private final SampleUrlSigner signer;
    private final SendSlots slots;
    private final Metrics metrics;
    private final RunnerSettings settings;
    private final Clock clock;

    public BillableCreate(FishApi fish, SampleUrlSigner signer, SendSlots slots, Metrics metrics,
                          RunnerSettings settings, Clock clock) {
        this.fish = fish;
        this.signer = signer;
        this.slots = slots;
        this.metrics = metrics;
        this.settings = settings;
        this.clock = clock;
    }

    /** @param lookFirst whether an earlier run may have sent a create (then upstream is asked for its model first) */
    Result attempt(Job job, boolean lookFirst, Instant deadline) {
        if (!job.createStarted()) {
            // The claim marks it: a create sent without the durable mark could be sent again by a redelivery.
            throw new IllegalStateException("job " + job.jobId() + " is not marked createStarted");
        }
        Optional<Instant> beyond = slots.await(deadline);
        if (beyond.isPresent()) {
            return new Deferred(beyond.get());
        }
        String marker = JobRunner.markerTag(job.jobId());
        Instant started = clock.instant();
        try {
            if (lookFirst) {
                Optional<ModelEntity> existing = fish.findOwnByTag(marker);
                if (existing.isPresent()) {
                    metrics.count("DuplicatesAvoided");
                    return new Answered(existing.get(), "find", Attempt.ADOPTED, started);
                }
            }
            ModelEntity created = fish.create(callFor(job, marker));
            metrics.timeMillis("UpstreamLatency", Duration.between(started, clock.instant()).toMillis());
            return new Answered(created, "create", Attempt.CREATED, started);
        } catch (UpstreamError e) {
            return new Failed(e, started);
        }
    }

    private CreateModelCall callFor(Job job, String marker) {
        // Signed now, right before the call: URLs live only as long as upstream needs them and are never stored.
        List<String> urls = job.samples().stream()
                .map(s -> signer.sign(job.bucket(), s.key(), s.versionId(), settings.urlExpiry()).url())
                .toList();
        boolean allTexts = !job.samples().isEmpty() && job.samples().stream().allMatch(s -> s.text() != null);
        List<String> texts = allTexts ? job.samples().stream().map(Sample::text).toList() : List.of();
        ModelSpec spec = job.spec().storedCoverKey(job.bucket())
                .map(key -> job.spec().withCoverImage(signer.sign(job.bucket(), key, null, settings.urlExpiry()).url()))
                .orElse(job.spec());
        return new CreateModelCall(spec, urls, texts, marker);
    }
}
