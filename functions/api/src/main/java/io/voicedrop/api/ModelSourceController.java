package io.voicedrop.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.voicedrop.core.view.JobView;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.voicedrop.core.model.CatalogEntry;
import io.voicedrop.core.model.Job;
import io.voicedrop.core.port.JobStore;
import io.voicedrop.core.model.Preview;
import io.voicedrop.core.port.ModelCatalog;
import io.voicedrop.core.port.SampleUrlSigner;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /models/{id}/source}: VoiceDrop's pipeline facts about a catalog model, kept out of the Fish ModelEntity
 * so that no strict client ever sees an unexpected field: the job that made it, the bucket keys of its samples, the
 * title language the catalog filters on, and the job's status. Visibility follows the job ({@link JobAccess}): the
 * source of a model made through another owner's {@code POST /fish/model} is a 404.
 *
 * <p>{@code GET /models/{id}/preview}: a presigned link, valid {@value #PREVIEW_LINK_SECONDS} s, to the spoken
 * preview of the model (the audio the worker stored as {@code status/<upload path>.preview.mp3}); 404 when the model
 * has none (none was asked for, it failed, or it is not made yet: the job's warnings and {@code preview} say which).
 */
@Controller(value = "/models", produces = {MediaType.APPLICATION_JSON, MediaType.ALL})
public class ModelSourceController {

    private static final int MAX_ID_LENGTH = 200;
    static final int PREVIEW_LINK_SECONDS = 300;

    private final ModelCatalog catalog;
    private final JobStore jobs;
    private final JobAccess access;
    private final SampleUrlSigner signer;

    public ModelSourceController(ModelCatalog catalog, JobStore jobs, JobAccess access, SampleUrlSigner signer) {
        this.catalog = catalog;
        this.jobs = jobs;
        this.access = access;
        this.signer = signer;
    }

    @Get("/{id}/preview")
    public HttpResponse<String> preview(HttpRequest<?> request, @PathVariable("id") String id) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH) {
            throw notFound();
        }
        CatalogEntry entry = catalog.find(id).orElseThrow(ModelSourceController::notFound);
        Job job = (entry.jobId() == null ? Optional.<Job>empty() : jobs.find(entry.jobId()))
                .filter(j -> access.canSee(j, JobController.owner(request)))
                .orElseThrow(ModelSourceController::notFound);
        Preview p = job.preview();
        if (p == null || !Preview.STORED.equals(p.state()) || p.key() == null) {
            throw ApiException.notFound("The model has no spoken preview (see GET /jobs/" + job.jobId() + ").");
        }
        SampleUrlSigner.SignedUrl link = signer.sign(job.bucket(), p.key(), null,
                Duration.ofSeconds(PREVIEW_LINK_SECONDS));
        return Envelope.ok(new PreviewLink(entry.model().id(), job.jobId(), link.url(), link.expiresAt().toString(),
                "audio/mpeg", p.bytes()));
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
                job.map(j -> j.status().name()).orElse(null)));
    }

    private static ApiException notFound() {
        return ApiException.notFound("The model does not exist.");
    }

    /** The answer of {@code GET /models/{id}/preview}. The URL is a short-lived credential: never log it. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record PreviewLink(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                       @JsonProperty("url") String url, @JsonProperty("expires_at") String expiresAt,
                       @JsonProperty("content_type") String contentType, @JsonProperty("bytes") long bytes) {
        @Override
        public String toString() {
            return "PreviewLink[modelId=" + modelId + ", url=<redacted>]";
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Source(@JsonProperty("model_id") String modelId, @JsonProperty("job_id") String jobId,
                  @JsonProperty("source_keys") List<String> sourceKeys,
                  @JsonProperty("title_language") String titleLanguage,
                  @JsonProperty("job_status") String jobStatus) {
    }
}
