package io.voicedrop.api;

import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import java.util.Optional;

/**
 * A catalog model with the job that made it, for VoiceDrop's own endpoints about a model ({@code /models/{id}/...}).
 * Visibility follows the job ({@link JobAccess}): a model made through another owner's {@code POST /fish/model} is a
 * 404, exactly like a model that does not exist.
 */
final class ModelProvenance {

    private static final int MAX_ID_LENGTH = 200;

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobAccess access;

    ModelProvenance(ModelCatalog catalog, JobStore jobs, JobAccess access) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.access = access;
    }

    record Found(CatalogEntry entry, Optional<Job> job) {
    }

    Found find(String id, String owner) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        CatalogEntry entry = catalog.find(id).orElseThrow(ModelProvenance::notFound);
        Optional<Job> job = entry.jobId() == null ? Optional.empty() : jobs.find(entry.jobId());
        boolean apiMade = entry.sourceKeys().stream().anyMatch(k -> k.startsWith(ModelSubmissions.UPLOADS));
        if (job.isPresent() ? !access.canSee(job.get(), owner) : apiMade) {
            throw notFound();
        }
        return new Found(entry, job);
    }

    private static ApiException notFound() {
        return ApiException.notFound("The model does not exist.");
    }
}
