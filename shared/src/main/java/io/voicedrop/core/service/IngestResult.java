package io.voicedrop.core.service;

import io.voicedrop.core.model.JobStatus;

/**
 * What ingest did with one uploaded object.
 *
 * @param jobId null when the object starts no job (not ours, a folder file waiting for its manifest, or an object
 *              deleted or replaced before it could be read)
 * @param duplicate true when this exact object was seen before and nothing new happened
 * @param note for a rejection, every reason; otherwise a short explanation
 */
public record IngestResult(String key, String jobId, JobStatus status, boolean duplicate, String note) {

    public static IngestResult ignored(String key, String note) {
        return new IngestResult(key, null, null, false, note);
    }
}
