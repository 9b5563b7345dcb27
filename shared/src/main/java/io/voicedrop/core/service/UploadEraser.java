package io.voicedrop.core.service;

import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.UploadedObject;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.SampleStorage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An operator's "erase everything of one upload" ({@code scripts/voicedrop-ops.sh erase-upload}): every job the
 * upload made has its voice deleted ({@link ModelDeletion}: the model upstream, the catalog entry, the job's details),
 * then every object of the upload is erased, all versions: the whole folder of a folder upload (also files no
 * manifest listed), the file of a single-file upload, the API's copies, and the status reports.
 *
 * <p>An upload is named by its key ({@code incoming/alice.wav}, {@code incoming/alice/} or its
 * {@code incoming/alice/model.json}, {@code uploads/<job id>/...}) or by a job id. Its jobs are found from every
 * version of the key that made them (a job id is derived from the upload's key and content), so an upload sent
 * several times has all its jobs deleted.
 */
public final class UploadEraser {

    private final JobStore jobs;
    private final SampleStorage storage;
    private final ModelDeletion deletion;
    private final String bucket;

    public UploadEraser(JobStore jobs, SampleStorage storage, ModelDeletion deletion, String bucket) {
        this.jobs = jobs;
        this.storage = storage;
        this.deletion = deletion;
        this.bucket = bucket;
    }

    /** Step one: the deletion jobs of the upload's jobs, as stored now (they run in the worker). */
    public List<Job> requestDeletions(String upload, String requestedBy) {
        List<Job> deletions = new ArrayList<>();
        for (String jobId : jobsOf(upload)) {
            if (deletion.request(jobId, null, requestedBy) instanceof ModelDeletion.Requested r) {
                deletions.add(r.deletion());
            }
        }
        return deletions;
    }

    /** Step two, once the deletions ended: every version of every object of the upload; returns how many. */
    public int eraseObjects(String upload) {
        int erased = 0;
        for (String prefix : prefixesOf(upload)) {
            erased += storage.eraseUnder(bucket, prefix);
        }
        for (String key : keysOf(upload)) {
            erased += storage.erase(bucket, List.of(new SampleStorage.StoredObject(key, null)));
        }
        return erased;
    }

    /** The job ids the upload made: a job id as given, or every job of every version of the upload's key. */
    Set<String> jobsOf(String upload) {
        Set<String> ids = new LinkedHashSet<>();
        if (!upload.contains("/")) {
            jobs.find(upload).filter(j -> !j.isDeletion()).ifPresent(j -> ids.add(j.jobId()));
            return ids;
        }
        if (upload.startsWith(UploadLayout.UPLOADS)) {
            String rest = upload.substring(UploadLayout.UPLOADS.length());
            int slash = rest.indexOf('/');
            String jobId = slash < 0 ? rest : rest.substring(0, slash);
            jobs.find(jobId).filter(j -> !j.isDeletion()).ifPresent(j -> ids.add(j.jobId()));
            return ids;
        }
        String trigger = trigger(upload);
        for (SampleStorage.StoredVersion v : storage.versions(bucket, trigger)) {
            String id = UploadIngestor.jobIdFor(new UploadedObject(bucket, trigger, v.versionId(), v.eTag(),
                    v.sizeBytes()));
            jobs.find(id).ifPresent(j -> ids.add(j.jobId()));
        }
        return ids;
    }

    /** The key whose upload makes the job: the file itself, or the folder's {@code model.json}. */
    private static String trigger(String upload) {
        if (upload.endsWith("/")) {
            return upload + UploadLayout.MANIFEST_NAME;
        }
        return upload;
    }

    private List<String> prefixesOf(String upload) {
        List<String> prefixes = new ArrayList<>();
        Optional<String> folder = folderOf(upload);
        folder.ifPresent(f -> {
            prefixes.add(f);
            prefixes.add(UploadLayout.STATUS + f.substring(UploadLayout.INCOMING.length()));
        });
        if (upload.startsWith(UploadLayout.UPLOADS)) {
            jobsOf(upload).forEach(id -> prefixes.add(UploadLayout.uploadsPrefix(id)));
        } else if (!upload.contains("/")) {
            jobs.find(upload).ifPresent(j -> prefixes.add(UploadLayout.uploadsPrefix(j.jobId())));
        }
        return prefixes;
    }

    private static List<String> keysOf(String upload) {
        if (!upload.startsWith(UploadLayout.INCOMING) || folderOf(upload).isPresent()) {
            return List.of();
        }
        return List.of(upload, UploadLayout.statusKey(upload), UploadLayout.previewKey(upload));
    }

    /** {@code incoming/<folder>/} of a folder upload (named by its folder or its manifest). */
    private static Optional<String> folderOf(String upload) {
        UploadLayout.KeyKind kind = UploadLayout.classify(upload.endsWith("/") ? upload + UploadLayout.MANIFEST_NAME
                : upload);
        if (kind == UploadLayout.KeyKind.FOLDER_MANIFEST) {
            return Optional.of(UploadLayout.folderPrefix(upload.endsWith("/") ? upload + "x" : upload));
        }
        return Optional.empty();
    }
}
