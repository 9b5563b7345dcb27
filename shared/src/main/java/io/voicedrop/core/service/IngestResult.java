package io.voicedrop.core.service;

import io.voicedrop.core.model.JobStatus;

/**
 * What ingest did with one uploaded object.
 *
 * @param jobId null when the object starts no job (not ours, or a folder file waiting for its manifest)
 * @param duplicate true when this exact object was seen before and nothing new happened
 */
public record IngestResult(String key, String jobId, JobStatus status, boolean duplicate, String note) {

    public static IngestResult ignored(String key, String note) {
        return new IngestResult(key, null, null, false, note);
    }
}
