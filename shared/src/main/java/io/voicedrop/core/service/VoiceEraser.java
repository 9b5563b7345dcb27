package io.voicedrop.core.service;

import io.voicedrop.core.model.Attempt;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.ResourceIds;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleStorage;
import io.voicedrop.core.port.SampleStorage.StoredObject;
import io.voicedrop.core.port.StatusReporter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Erases what VoiceDrop keeps of a voice once its model is gone upstream, in an order that a crash at any point
 * leaves repeatable: the bucket objects first (the create job still says which they are: samples, the API's copies
 * and covers, the spoken preview), then the status report
 * (rewritten to say the voice was deleted, its older versions removed), then the catalog entry with every index
 * and counter item, and last the create job itself, reduced to a {@link Tombstones tombstone}. Every step is
 * idempotent, so a redelivered deletion job simply runs them all again.
 */
public final class VoiceEraser {

    /** Where {@code PATCH /fish/model/{id}} stores a cover for a model that has no create job. */
    static final String MODEL_UPLOADS = UploadLayout.UPLOADS + "models/";

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final SampleStorage storage;
    private final StatusReporter reporter;
    private final Clock clock;

    public VoiceEraser(ModelCatalog catalog, JobStore jobs, SampleStorage storage, StatusReporter reporter,
                       Clock clock) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.storage = storage;
        this.reporter = reporter;
        this.clock = clock;
    }

    /** Where the API keeps the covers of a model: under its create job's folder, or the model's own. */
    static String uploadsOf(String createJobId, String modelId) {
        return createJobId != null && !createJobId.isEmpty() ? UploadLayout.uploadsPrefix(createJobId)
                : MODEL_UPLOADS + modelId + "/";
    }

    /**
     * @param create   the create job, or null when the model has none
     * @param modelIds every model deleted upstream for this voice
     * @param note     the tombstone's last history entry (when, by which deletion, at whose request)
     * @return how many object versions were removed from the bucket
     */
    public int erase(String bucket, Job create, List<String> modelIds, Attempt note) {
        int versions = 0;
        if (create != null && !Tombstones.isTombstone(create)) {
            List<StoredObject> objects = new ArrayList<>(JobObjects.samples(create));
            JobObjects.trigger(create, storage).filter(t -> !objects.contains(t)).ifPresent(objects::add);
            versions += storage.erase(create.bucket(), objects);
            versions += storage.eraseUnder(create.bucket(), UploadLayout.uploadsPrefix(create.jobId()));
            if (create.preview() != null && create.preview().key() != null) {
                // The spoken preview is the cloned voice speaking: as personal as the samples.
                versions += storage.erase(create.bucket(), List.of(new StoredObject(create.preview().key(), null)));
            }
            if (!create.sourceKeys().isEmpty()) {
                reporter.report(reportOf(create));
                String report = UploadLayout.statusKey(create.sourceKeys().get(create.sourceKeys().size() - 1));
                versions += storage.eraseOlderVersions(create.bucket(), report);
            }
        }
        for (String id : modelIds) {
            if (create == null) {
                Optional<CatalogEntry> entry = catalog.find(id);
                if (entry.isPresent()) {
                    versions += storage.erase(bucket, entry.get().sourceKeys().stream()
                            .map(k -> new StoredObject(k, null)).toList());
                }
            }
            if (ResourceIds.isWellFormed(id)) {
                versions += storage.eraseUnder(bucket, MODEL_UPLOADS + id + "/");
            }
            catalog.erase(id);
        }
        if (create != null) {
            tombstone(create.jobId(), note);
        }
        return versions;
    }

    /** The report the uploader finds: the job, deleted, and nothing about the recordings (see S3StatusReporter). */
    private Job reportOf(Job create) {
        Job tomb = Tombstones.of(create, Attempt.note(clock.instant(), "erase", Attempt.ERASED, null),
                clock.instant());
        return tomb.edit().sourceKeys(create.sourceKeys()).build();
    }

    private void tombstone(String jobId, Attempt note) {
        for (int race = 0; race < 5; race++) {
            Optional<Job> current = jobs.find(jobId);
            if (current.isEmpty() || Tombstones.isTombstone(current.get())) {
                return;
            }
            try {
                jobs.update(Tombstones.of(current.get(), note, clock.instant()));
                return;
            } catch (JobStore.JobChangedConcurrently raced) {
                // a late writer of the create job: read it again
            }
        }
        throw new IllegalStateException("job " + jobId + " kept changing while it was being erased");
    }
}
