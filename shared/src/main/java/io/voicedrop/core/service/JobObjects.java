package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.Sample;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.port.SampleStorage.StoredObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Which objects in the bucket belong to a job: its samples (the exact versions it checked and sent), the object
 * whose upload made it (a single file or a folder's {@code model.json}), a cover stored with it, and everything the
 * API stored under {@code uploads/<job id>/}. Exact versions matter: a key uploaded again later is another job's
 * upload, which erasing this one must leave alone.
 */
final class JobObjects {

    private JobObjects() {
    }

    /** The sample objects, pinned to their versions where ingest or the API recorded one. */
    static List<StoredObject> samples(Job job) {
        return job.samples().stream().map(s -> new StoredObject(s.key(), emptyToNull(s.versionId()))).toList();
    }

    /**
     * Everything the job lists (samples, other source keys such as the manifest, a stored cover), for the
     * retention rule; keys without a recorded version are taken in their current version.
     */
    static List<StoredObject> listed(Job job) {
        List<StoredObject> out = new ArrayList<>(samples(job));
        Set<String> sampleKeys = new LinkedHashSet<>(job.samples().stream().map(Sample::key).toList());
        for (String key : job.sourceKeys()) {
            if (!sampleKeys.contains(key)) {
                out.add(new StoredObject(key, null));
            }
        }
        job.spec().storedCoverKey(job.bucket()).ifPresent(key -> out.add(new StoredObject(key, null)));
        return out;
    }

    /**
     * The version of the upload that made a bucket job: the one whose identity (key and ETag) gives the job's id.
     * Empty for an API job, or when that version is gone already.
     */
    static Optional<StoredObject> trigger(Job job, SampleStorage storage) {
        if (job.sourceKeys().isEmpty()) {
            return Optional.empty();
        }
        String key = job.sourceKeys().get(job.sourceKeys().size() - 1);
        if (!key.startsWith(UploadLayout.INCOMING)) {
            return Optional.empty();
        }
        return storage.versions(job.bucket(), key).stream()
                .filter(v -> UploadIngestor.jobIdFor(new UploadedObject(job.bucket(), key, v.versionId(), v.eTag(),
                        v.sizeBytes())).equals(job.jobId()))
                .map(v -> new StoredObject(key, v.versionId()))
                .findFirst();
    }

    private static String emptyToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
