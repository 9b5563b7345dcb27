package io.voicedrop.core.port;

import io.voicedrop.core.model.Job;

/** Where a job's spoken preview is kept: in the bucket, next to the job's status report. */
public interface PreviewStore {

    /** Stores the audio ({@code audio/mpeg}) and returns its bucket key; storing again replaces it. */
    String store(Job job, byte[] audio);
}
