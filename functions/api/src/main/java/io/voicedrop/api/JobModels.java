package io.voicedrop.api;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ModelEntity;
import io.voicedrop.core.model.ModelSpec;
import java.time.Instant;
import java.util.List;

/**
 * A job shown as a Fish ModelEntity, for {@code GET /fish/model/{id}} with the id of a job (a 202 answer of
 * {@code POST /fish/model} names it) while its model does not exist yet. {@code _id} is the job id; {@code state} follows the job:
 * queued, running or waiting to retry is {@code created}; training is {@code training}; succeeded is
 * {@code trained}; failed, rejected or cancelled is {@code failed} (the official clients' polling loop stops on it). Every field
 * a strict client requires is present. Once the model exists, {@code GET /fish/model/{job id}} answers the model
 * itself, under its own {@code _id}.
 */
final class JobModels {

    static final String JOB_ID_HEADER = "X-VoiceDrop-Job-Id";

    private JobModels() {
    }

    static ModelEntity placeholder(Job job, String owner) {
        ModelSpec spec = job.spec() == null ? ModelSpec.titled("") : job.spec();
        String state = switch (job.status()) {
            case TRAINING -> "training";
            case SUCCEEDED -> "trained";
            case FAILED, REJECTED, CANCELLED, DELETED -> "failed";
            default -> "created";
        };
        // A cover stored in the bucket (s3://...) is VoiceDrop's bookkeeping, not an address a client can open.
        String cover = spec.storedCoverKey(job.bucket()).isPresent() ? "" : spec.coverImage();
        return new ModelEntity(job.jobId(), "tts", spec.title(), spec.description(), cover, "fast", state,
                spec.tags(), List.of(), time(job.createdAt()), time(job.updatedAt()), List.of(), spec.visibility(),
                false, 0, 0, 0, 0, false, false, new ModelEntity.Author("", owner == null ? "" : owner, ""));
    }

    private static String time(Instant instant) {
        return instant == null ? "" : instant.toString();
    }
}
