package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.SampleStorage;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long an upload's samples stay in the bucket once its job has ended (data minimisation). Runs when a job
 * ends (succeeded, failed, rejected or cancelled):
 * <ul>
 *   <li>an upload that asked for it ({@code remove_samples_when_trained}) and whose model is trained has its sample
 *       versions removed at once, and the job's history says so;</li>
 *   <li>with a retention period ({@code SampleRetention} parameter: a number of days), every object the job lists
 *       is tagged {@code voicedrop-job=ended}; the bucket's lifecycle rule of that tag expires them that many days
 *       after their upload (so never before their job ended: S3 counts lifecycle days from an object's creation,
 *       and only a job's end can tell when a sample is no longer needed);</li>
 *   <li>with {@code keep} nothing is done: samples stay until deleted (the model, or the upload by an operator).</li>
 * </ul>
 * A failure here is logged, never fails the job: the samples then stay, as with {@code keep}, and a later erase
 * (delete the model) still removes them.
 */
public final class SampleRetention {

    private static final Logger LOG = LoggerFactory.getLogger(SampleRetention.class);

    private final SampleStorage storage;
    private final JobStore jobs;
    private final Optional<Duration> retainFor;
    private final Clock clock;

    /** @param retainFor how long samples stay after their job ended; empty means keep them */
    public SampleRetention(SampleStorage storage, JobStore jobs, Optional<Duration> retainFor, Clock clock) {
        this.storage = storage;
        this.jobs = jobs;
        this.retainFor = retainFor;
        this.clock = clock;
    }

    public void jobEnded(Job job) {
        if (!job.status().isTerminal() || job.isDeletion() || job.status() == JobStatus.DELETED) {
            return;
        }
        try {
            if (job.status() == JobStatus.SUCCEEDED && job.spec().removeSamplesWhenTrained()) {
                removeSamples(job);
            }
            if (retainFor.isPresent()) {
                storage.markEnded(job.bucket(), JobObjects.listed(job));
            }
        } catch (RuntimeException e) {
            LOG.warn("sample retention for the ended job failed; its samples stay for now: {}", e.toString());
        }
    }

    private void removeSamples(Job job) {
        if (job.history().stream().anyMatch(a -> Attempt.SAMPLES_REMOVED.equals(a.outcome()))) {
            return;
        }
        int removed = storage.erase(job.bucket(), JobObjects.samples(job));
        LOG.info("samples removed once trained, as the upload asked: versions={}", removed);
        Attempt note = Attempt.note(clock.instant(), "retention", Attempt.SAMPLES_REMOVED,
                job.samples().size() + " sample(s) removed from the bucket once the model was trained, as the"
                        + " upload asked");
        for (int i = 0; i < 3; i++) {
            Job current = jobs.find(job.jobId()).orElse(null);
            if (current == null || current.history().stream()
                    .anyMatch(a -> Attempt.SAMPLES_REMOVED.equals(a.outcome()))) {
                return;
            }
            try {
                jobs.update(current.withAttempt(note, false));
                return;
            } catch (JobStore.JobChangedConcurrently raced) {
                // read again
            }
        }
    }
}
