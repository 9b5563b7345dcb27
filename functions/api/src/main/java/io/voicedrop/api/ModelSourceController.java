package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.model.QualityReport;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.port.ModelCatalog;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /models/{id}/source}: VoiceDrop's pipeline facts about a catalog model, kept out of the Fish ModelEntity
 * so that no strict client ever sees an unexpected field: the job that made it, the bucket keys of its samples, the
 * title language the catalog filters on, the job's status, and what the quality check heard in the samples. Visibility follows the job ({@link JobAccess}): the
 * source of a model made through another owner's {@code POST /fish/model} is a 404.
 */
@Controller(value = "/models", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelSourceController {

    private static final int MAX_ID_LENGTH = 200;

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobAccess access;

    public ModelSourceController(ModelCatalog catalog, JobStore jobs, JobAccess access) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.access = access;
    }

    @Get("/{id}/source")
    public HttpResponse<String> source(HttpRequest<?> request, @PathVariable("id") String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        CatalogEntry entry = catalog.find(id).orElseThrow(ModelSourceController::notFound);
        String owner = JobController.owner(request);
        Optional<Job> job = entry.jobId() == null ? Optional.empty() : jobs.find(entry.jobId());
        boolean apiMade = entry.sourceKeys().stream().anyMatch(k -> k.startsWith(ModelSubmissions.UPLOADS));
        if (job.isPresent() ? !access.canSee(job.get(), owner) : apiMade) {
            throw notFound();
        }
        return Envelope.ok(new Source(entry.model().id(), entry.jobId(),
                entry.sourceKeys().stream().map(JobView::clean).toList(),
                entry.titleLanguage() == null ? "" : entry.titleLanguage(),
                job.map(j -> j.status().name()).orElse(null), job.map(JobView::quality).orElse(null)));
    }

    private static ApiException notFound() {
        return ApiException.notFound("The model does not exist.");
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Source(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                  @JsonProperty("source_keys") List<String> sourceKeys,
                  @JsonProperty("title_language") String titleLanguage,
                  @JsonProperty("job_status") String jobStatus,
                  @JsonProperty("quality") QualityReport quality) {
    }
}
