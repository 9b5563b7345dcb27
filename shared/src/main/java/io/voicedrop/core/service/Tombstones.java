package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.JobError;
import io.voicedrop.core.model.JobStatus;
import io.voicedrop.core.model.ModelSpec;
import io.voicedrop.core.model.QualityReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a job record keeps once its voice was erased: that the model existed (its id, when the job was made), when it
 * was deleted and at whose request (the last history entry), and how the job went (every history entry's time,
 * operation, outcome, status and codes). Everything that could name or locate the recordings is dropped: sample and
 * source keys, versions, the title, description, tags and cover, warnings and reasons (they quote file names), the
 * quality check's per-sample rows (named after the files), and
 * every free-text message (upstream messages may quote a URL or a key).
 */
final class Tombstones {

    private Tombstones() {
    }

    static Job of(Job job, Attempt erased, Instant now) {
        List<Attempt> history = new ArrayList<>();
        for (Attempt a : job.history()) {
            history.add(new Attempt(a.at(), a.operation(), a.outcome(), a.httpStatus(), a.code(), null, a.latencyMs(),
                    a.traceId()));
        }
        history.add(erased);
        JobError error = job.error() == null ? null
                : new JobError(job.error().code(), null, job.error().httpStatus(), job.error().traceId());
        // Built from nothing rather than edited from the job: a field added to Job later stays out of the tombstone
        // until someone decides it may outlive an erasure.
        return Job.builder(job.jobId()).status(JobStatus.DELETED).version(job.version()).bucket(job.bucket())
                .spec(ModelSpec.titled("")).attempts(job.attempts()).history(history).error(error)
                .modelId(job.modelId()).createStarted(job.createStarted()).enqueuedAt(job.enqueuedAt())
                .createdAt(job.createdAt()).updatedAt(now).owner(job.owner()).quality(withoutSampleNames(job.quality()))
                .targetJobId(job.targetJobId()).build();
    }

    /** The quality check's totals stay (how the job went); its per-sample rows name the recordings and go. */
    private static QualityReport withoutSampleNames(QualityReport quality) {
        return quality == null ? null : new QualityReport(List.of(), quality.model());
    }

    /** True once the job is a tombstone (nothing left to erase in it). */
    static boolean isTombstone(Job job) {
        return job.status() == JobStatus.DELETED && job.sourceKeys().isEmpty() && job.samples().isEmpty();
    }
}
